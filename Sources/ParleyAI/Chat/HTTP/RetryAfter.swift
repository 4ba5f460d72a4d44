import Foundation
import NIOHTTP1

/// Reads how long a server asked us to wait before retrying.
enum RetryAfter {
    /// The pause from `retry-after-ms` (sent by OpenAI and Azure) or `Retry-After` (delta-seconds or an HTTP date).
    ///
    /// - Parameter now: the current time, for HTTP dates; injectable for tests.
    static func parse(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let value = headers.first(name: "retry-after-ms"), let milliseconds = Double(value.trimmed),
            milliseconds.isFinite, milliseconds >= 0
        {
            return .milliseconds(Int64(milliseconds.rounded(.up)))
        }
        guard let value = headers.first(name: "retry-after")?.trimmed, !value.isEmpty else { return nil }
        if value.allSatisfy(\.isNumber), let seconds = Int64(value) {
            return .seconds(seconds)
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}

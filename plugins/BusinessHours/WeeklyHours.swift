import Foundation

/// Opening hours per weekday, parsed from `"09:00-17:30"` strings; a day without an entry is closed.
struct WeeklyHours: Sendable, Equatable {
    /// Opening minutes since midnight per weekday, keyed 1 (Sunday) to 7 (Saturday) as `Calendar` counts.
    private var ranges: [Int: ClosedRange<Int>]

    /// Closed every day.
    static let closed = WeeklyHours(ranges: [:])

    static let weekdays = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// Parses `{"mon": "09:00-17:00", ...}`; returns problems for unknown days and malformed ranges.
    static func parse(_ spec: [String: String]) -> Result<WeeklyHours, ParseProblems> {
        var ranges: [Int: ClosedRange<Int>] = [:]
        var problems: [String] = []
        for (day, text) in spec.sorted(by: { $0.key < $1.key }) {
            guard let weekday = weekdays[day.lowercased()] else {
                problems.append("unknown day '\(day)' in hours (use mon, tue, wed, thu, fri, sat, sun)")
                continue
            }
            guard let range = parseRange(text) else {
                problems.append("hours for '\(day)' must look like 09:00-17:30, got '\(text)'")
                continue
            }
            ranges[weekday] = range
        }
        return problems.isEmpty ? .success(WeeklyHours(ranges: ranges)) : .failure(ParseProblems(messages: problems))
    }

    /// Whether the moment `date` falls inside the opening hours in `timeZone`.
    func isOpen(at date: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let weekday = parts.weekday, let range = ranges[weekday] else { return false }
        return range.contains((parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    private static func parseRange(_ text: String) -> ClosedRange<Int>? {
        let bounds = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard bounds.count == 2, let start = minutes(bounds[0]), let end = minutes(bounds[1]), start < end else {
            return nil
        }
        return start...(end - 1)
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }

    /// Why an hours specification was refused.
    struct ParseProblems: Error {
        var messages: [String]
    }
}

import Foundation
import Hummingbird
import NIOCore
import ParleyCore
import Synchronization
import Testing

@testable import ParleyServer

/// Server-sent event streams of a conversation.
@Suite("Live event streams")
struct LiveEventStreamTests {
    @Test("a stream ends with an expired event when its credential's deadline passes")
    func endsAtDeadline() async throws {
        let (events, feed) = AsyncStream<ConversationEvents.Published>.makeStream()
        defer { feed.finish() }
        let response = LiveEventStream.response(
            events, conversation: ConversationID("c"), skipping: nil, until: Date().addingTimeInterval(0.3))
        let collected = CollectedBody()
        try await boundedTask(within: .seconds(20)) {
            try await response.body.write(CollectingWriter(into: collected))
        }.value
        let text = collected.text
        #expect(text.hasPrefix(": connected"), "\(text)")
        #expect(text.hasSuffix(LiveEventStream.expiredEvent), "\(text)")
    }
}

/// The bytes a response body wrote.
final class CollectedBody: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func append(_ buffer: ByteBuffer) { bytes.withLock { $0 += Array(buffer.readableBytesView) } }

    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}

/// A response body writer that keeps what it is given.
struct CollectingWriter: ResponseBodyWriter {
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws { into.append(buffer) }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

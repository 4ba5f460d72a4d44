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

    @Test("a client that stops reading gets a stream that ends, not events queued for it without bound")
    func stalledClientEndsTheStream() async throws {
        let (events, feed) = AsyncStream<ConversationEvents.Published>.makeStream()
        let relayEnded = AsyncStream<Void>.makeStream()
        feed.onTermination = { _ in relayEnded.continuation.finish() }
        for _ in 0..<1_000 { feed.yield(.init(event: .typing(.agent), origin: nil)) }
        let response = LiveEventStream.response(
            events, conversation: ConversationID("c"), skipping: nil, until: Date().addingTimeInterval(600))
        let collected = CollectedBody()
        // The client reads nothing until the server has stopped reading events for it.
        try await boundedTask(within: .seconds(20)) {
            try await response.body.write(GatedWriter(gate: relayEnded.stream, into: collected))
        }.value
        let delivered = collected.text.components(separatedBy: "event: typing").count - 1
        #expect(delivered > 0 && delivered <= LiveEventStream.maxQueuedEvents, "\(delivered) events")
    }
}

/// A response body writer that writes nothing until `gate` ends, then keeps what it is given.
struct GatedWriter: ResponseBodyWriter {
    let gate: AsyncStream<Void>
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        for await _ in gate {}
        into.append(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
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

import Foundation
import Hummingbird
import NIOCore
import ParleyCore
import ServiceLifecycle

/// A conversation's live events as server-sent events, for agents' consoles and widgets without WebSocket.
///
/// Each event's name is the frame's `type`, its data the frame (see docs/widget.md).
enum LiveEventStream {
    /// How often a comment line keeps idle proxies from closing the stream.
    static let keepAlive = Duration.seconds(25)
    /// Most events that may wait for a client who does not read them; past this the stream ends, and the client
    /// reconnects and resyncs (nothing stored is lost).
    static let maxQueuedEvents = 256

    /// Streams `events` until the client goes away or `deadline` passes; events caused by the listener `skipping` are
    /// left out.
    ///
    /// The deadline is the credential's: a stream must not outlive the token (or the account) that opened it. At the
    /// deadline an `expired` event tells the client to connect again with a fresh credential, and the stream ends.
    static func response(
        _ events: AsyncStream<ConversationEvents.Published>, conversation: ConversationID, skipping: UUID?,
        until deadline: Date
    ) -> Response {
        let (body, continuation) = AsyncStream<ByteBuffer>.makeStream(
            bufferingPolicy: .bufferingOldest(maxQueuedEvents))
        let relay = Task {
            continuation.yield(ByteBuffer(string: ": connected\n\n"))
            // A stream would otherwise hold a draining server until its next write finds the client gone.
            try? await cancelWhenGracefulShutdown {
                await forward(
                    events, into: continuation, conversation: conversation, skipping: skipping, deadline: deadline)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in relay.cancel() }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: body))
    }

    /// The last event of a stream whose credential ran out.
    static let expiredEvent =
        "event: expired\ndata: {\"type\":\"expired\",\"message\":\"the credential expired; connect again\"}\n\n"

    private static func forward(
        _ events: AsyncStream<ConversationEvents.Published>, into continuation: AsyncStream<ByteBuffer>.Continuation,
        conversation: ConversationID, skipping: UUID?, deadline: Date
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepAlive)
                    send(": keep-alive\n\n", to: continuation)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                guard !Task.isCancelled else { return }
                continuation.yield(ByteBuffer(string: Self.expiredEvent))
                continuation.finish()  // ends the response; its termination cancels the relay, and this group
            }
            for await published in events where skipping == nil || published.origin != skipping {
                let frame = published.event.visitorFrame(conversation: conversation)
                send("event: \(frame.type)\ndata: \(frame.json)\n\n", to: continuation)
            }
            group.cancelAll()
        }
    }

    /// Queues `text`; a full queue (the client stopped reading) ends the stream instead.
    private static func send(_ text: String, to continuation: AsyncStream<ByteBuffer>.Continuation) {
        if case .dropped = continuation.yield(ByteBuffer(string: text)) { continuation.finish() }
    }
}

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

    /// Streams `events` until the client goes away; events caused by the listener `skipping` are left out.
    static func response(
        _ events: AsyncStream<ConversationEvents.Published>, conversation: ConversationID, skipping: UUID?
    ) -> Response {
        let (body, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let relay = Task {
            continuation.yield(ByteBuffer(string: ": connected\n\n"))
            // A stream would otherwise hold a draining server until its next write finds the client gone.
            try? await cancelWhenGracefulShutdown {
                await forward(events, into: continuation, conversation: conversation, skipping: skipping)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in relay.cancel() }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: body))
    }

    private static func forward(
        _ events: AsyncStream<ConversationEvents.Published>, into continuation: AsyncStream<ByteBuffer>.Continuation,
        conversation: ConversationID, skipping: UUID?
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepAlive)
                    continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            for await published in events where skipping == nil || published.origin != skipping {
                let frame = published.event.visitorFrame(conversation: conversation)
                continuation.yield(ByteBuffer(string: "event: \(frame.type)\ndata: \(frame.json)\n\n"))
            }
            group.cancelAll()
        }
    }
}

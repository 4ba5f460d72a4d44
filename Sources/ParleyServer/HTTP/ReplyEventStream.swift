import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore

/// A turn's reply as server-sent events: `delta` pieces while a model writes it, one `citation` per source, then
/// `done` with the stored result (exactly the JSON response's body), or `error` with `{code, message}`.
///
/// The text of `done.reply` is what was stored. When the chain ends in something other than the streamed answer (an
/// escalation, the fallback), no delta was sent or the final text differs, and clients show `done.reply.text`.
/// When the client goes away, the turn's task is cancelled: generation stops, and the partial reply is stored and
/// marked `interrupted`.
enum ReplyEventStream {
    /// Sends each piece of the reply as a `delta` event.
    struct Sink: ReplySink {
        let continuation: AsyncStream<ByteBuffer>.Continuation

        func send(_ piece: String) async {
            continuation.yield(ReplyEventStream.event("delta", ["text": piece]))
        }
    }

    static func response(
        logger: Logger, run: @escaping @Sendable (any ReplySink) async throws -> ChatRoutes.MessageResponse
    ) -> Response {
        let (events, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let turn = Task {
            do {
                let result = try await run(Sink(continuation: continuation))
                for citation in result.reply?.citations ?? [] { continuation.yield(event("citation", citation)) }
                continuation.yield(event("done", result))
            } catch let error as APIError {
                continuation.yield(event("error", ["code": error.code, "message": error.message]))
            } catch {
                logger.error("streamed turn failed", metadata: .describing(error))
                continuation.yield(
                    event("error", ["code": "internal_error", "message": "the reply could not be made"]))
            }
            continuation.finish()
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { turn.cancel() }
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: events))
    }

    /// One event: its name and a JSON data line.
    static func event(_ name: String, _ payload: some Encodable) -> ByteBuffer {
        let json = (try? JSONEncoder.api.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n")
    }

    /// Whether the client asked for a stream (`Accept: text/event-stream`).
    static func isRequested(by request: Request) -> Bool {
        request.headers[.accept]?.contains("text/event-stream") == true
    }
}

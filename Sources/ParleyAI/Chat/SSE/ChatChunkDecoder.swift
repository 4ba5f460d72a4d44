import Foundation

/// Turns the server-sent events of a streamed Chat Completions response into ``ChatStreamEvent``s.
///
/// Tracks whether the stream ended properly: with `data: [DONE]`, or at least with a finish reason (a few
/// OpenAI-compatible servers omit `[DONE]`). Anything else at the end of the body is a truncated stream.
struct ChatChunkDecoder {
    /// Whether `[DONE]` arrived; nothing after it is read.
    private(set) var isDone = false
    /// Whether a chunk carried a finish reason.
    private(set) var sawFinish = false
    private let decoder = JSONDecoder()
    private let secret: String?

    init(secret: String?) {
        self.secret = secret
    }

    /// Whether the body may end now without the stream being truncated.
    var isComplete: Bool { isDone || sawFinish }

    /// Decodes one server-sent event.
    mutating func decode(_ event: ServerSentEvent) throws(ProviderError) -> [ChatStreamEvent] {
        if isDone { return [] }
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            isDone = true
            return []
        }
        if event.type == "error" {
            throw .streamError(ErrorExcerpt.make(from: Array(data.utf8), secret: secret))
        }
        let chunk: ChatCompletionChunk
        do {
            chunk = try decoder.decode(ChatCompletionChunk.self, from: Data(data.utf8))
        } catch {
            throw .malformedResponse("stream chunk is not a chat.completion.chunk")
        }
        if let error = chunk.error {
            throw .streamError(ErrorExcerpt.scrub(error.summary, secret: secret))
        }
        var events: [ChatStreamEvent] = []
        // Parley asks for one choice; extra choices (n > 1) are ignored.
        if let choice = chunk.choices?.first {
            if let content = choice.delta?.content, !content.isEmpty {
                events.append(.delta(content))
            }
            if let reason = choice.finishReason {
                sawFinish = true
                events.append(.finish(ChatFinishReason(wireValue: reason)))
            }
        }
        if let usage = chunk.usage {
            events.append(.usage(usage.tokenUsage))
        }
        return events
    }
}

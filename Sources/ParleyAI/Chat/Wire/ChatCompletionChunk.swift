/// One `chat.completion.chunk` of a streamed Chat Completions response (the JSON of one SSE `data` field).
struct ChatCompletionChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            var content: String?
        }

        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case delta
            case finishReason = "finish_reason"
        }
    }

    var choices: [Choice]?
    var usage: WireUsage?
    /// Set when the server reports an error inside the stream instead of a chunk.
    var error: WireErrorBody.Detail?
}

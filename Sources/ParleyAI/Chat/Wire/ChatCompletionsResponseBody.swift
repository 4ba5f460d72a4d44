/// The JSON body of a non-streaming Chat Completions response.
struct ChatCompletionsResponseBody: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            var content: String?
        }

        var message: Message?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    var model: String?
    var choices: [Choice]
    var usage: WireUsage?

    var chatResponse: ChatResponse {
        let first = choices.first
        return ChatResponse(
            text: first?.message?.content ?? "",
            finishReason: first?.finishReason.map(ChatFinishReason.init(wireValue:)),
            usage: usage?.tokenUsage,
            model: model
        )
    }
}

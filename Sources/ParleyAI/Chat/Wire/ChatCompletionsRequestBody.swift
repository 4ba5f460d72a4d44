/// The JSON body of `POST /v1/chat/completions`.
struct ChatCompletionsRequestBody: Encodable {
    /// `stream_options` of a streaming request.
    struct StreamOptions: Encodable {
        var includeUsage: Bool

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    var model: String?
    var messages: [ChatMessage]
    var temperature: Double?
    var maxTokens: Int?
    var stream: Bool
    var streamOptions: StreamOptions?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream
        case maxTokens = "max_tokens"
        case streamOptions = "stream_options"
    }

    init(request: ChatRequest, defaultModel: String?, stream: Bool, includeUsage: Bool) {
        self.model = request.model ?? defaultModel
        self.messages = request.messages
        self.temperature = request.temperature
        self.maxTokens = request.maxTokens
        self.stream = stream
        self.streamOptions = stream && includeUsage ? StreamOptions(includeUsage: true) : nil
    }
}

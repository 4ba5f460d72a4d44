/// A chat-completion request, independent of any provider's wire format.
public struct ChatRequest: Sendable, Hashable {
    /// The conversation so far, oldest first.
    public var messages: [ChatMessage]
    /// The model to use; `nil` uses the provider's default model (or the server's, for single-model servers).
    public var model: String?
    /// Sampling temperature; `nil` leaves the server default.
    public var temperature: Double?
    /// The most tokens the reply may use; `nil` leaves the server default.
    public var maxTokens: Int?

    /// Creates a request.
    public init(messages: [ChatMessage], model: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil) {
        self.messages = messages
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
    }
}

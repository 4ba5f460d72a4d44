/// The complete answer of a non-streaming chat completion.
public struct ChatResponse: Sendable, Hashable {
    /// The reply text.
    public var text: String
    /// Why the model stopped; `nil` when the provider did not say.
    public var finishReason: ChatFinishReason?
    /// Token usage as reported by the provider; `nil` when it reported none (see ``TokenMeter``).
    public var usage: TokenUsage?
    /// The model that answered, as reported by the provider.
    public var model: String?

    /// Creates a response.
    public init(text: String, finishReason: ChatFinishReason?, usage: TokenUsage?, model: String? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }
}

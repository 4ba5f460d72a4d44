/// Tokens a call consumed, as reported by the provider or estimated when it reported nothing.
public struct TokenUsage: Sendable, Hashable {
    /// Tokens in the prompt (all request messages).
    public var promptTokens: Int
    /// Tokens in the reply.
    public var completionTokens: Int
    /// `true` when the figures come from ``TokenEstimator`` rather than from the provider.
    public var isEstimated: Bool

    /// Prompt plus completion tokens.
    public var totalTokens: Int { promptTokens + completionTokens }

    /// Creates a usage record.
    public init(promptTokens: Int, completionTokens: Int, isEstimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.isEstimated = isEstimated
    }
}

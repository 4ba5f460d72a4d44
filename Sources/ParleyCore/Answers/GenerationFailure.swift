/// A model call that failed, with what it had written before it did and what that costs.
///
/// A provider bills a stream that broke after it began: the prompt, and the completion so far. One that failed
/// before its first token (refused, rate limited, unreachable) bills nothing, and its token counts are zero.
public struct GenerationFailure: Error, Sendable, CustomStringConvertible {
    /// Why the call failed, safe to show the tenant (no endpoint's own words).
    public var reason: String
    /// The text streamed before the failure.
    public var partial: String
    /// The provider (or fallback list) called.
    public var provider: String
    public var promptTokens: Int
    public var completionTokens: Int

    /// Makes a failure.
    public init(reason: String, partial: String, provider: String, promptTokens: Int, completionTokens: Int) {
        self.reason = reason
        self.partial = partial
        self.provider = provider
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Whether the provider will bill the call.
    public var isBilled: Bool { promptTokens > 0 || completionTokens > 0 }

    public var description: String { reason }
}

/// One event of a streamed chat completion.
///
/// A well-formed stream yields zero or more ``delta(_:)`` events in order, then typically one
/// ``finish(_:)`` and, when the provider reports it, one ``usage(_:)`` (OpenAI sends usage after the finish reason).
/// Concatenating the deltas gives the full reply.
public enum ChatStreamEvent: Sendable, Hashable {
    /// The next piece of reply text; never empty.
    case delta(String)
    /// Token usage for the whole call, as reported by the provider.
    case usage(TokenUsage)
    /// Why the model stopped.
    case finish(ChatFinishReason)
}

/// Why the model stopped producing text.
public enum ChatFinishReason: Sendable, Hashable, CustomStringConvertible {
    /// The model finished its answer or hit a stop sequence.
    case stop
    /// The reply hit `maxTokens` or the context window.
    case length
    /// The provider's content filter cut the reply.
    case contentFilter
    /// The model asked to call a tool (not used by Parley yet).
    case toolCalls
    /// A reason this type does not know, kept verbatim.
    case other(String)

    /// Maps a Chat Completions `finish_reason` string.
    public init(wireValue: String) {
        switch wireValue {
        case "stop", "eos", "end_turn": self = .stop
        case "length", "max_tokens": self = .length
        case "content_filter": self = .contentFilter
        case "tool_calls", "function_call": self = .toolCalls
        default: self = .other(wireValue)
        }
    }

    /// The Chat Completions spelling of the reason.
    public var description: String {
        switch self {
        case .stop: "stop"
        case .length: "length"
        case .contentFilter: "content_filter"
        case .toolCalls: "tool_calls"
        case .other(let value): value
        }
    }
}

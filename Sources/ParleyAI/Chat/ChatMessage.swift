/// One message of a chat conversation as sent to a model.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote a message, in the Chat Completions vocabulary.
    public enum Role: String, Sendable, Hashable, Codable {
        /// Instructions from the operator (persona, rules, retrieved passages).
        case system
        /// The visitor.
        case user
        /// The model, or a reply stored from an earlier turn.
        case assistant
    }

    /// Who wrote the message.
    public var role: Role
    /// The text of the message.
    public var content: String

    /// Creates a message.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }

    /// A user (visitor) message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }

    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}

/// Who handles a conversation: `bot` → `queued` → `human` → `closed`, and back to `bot` when an agent hands it back.
public enum ConversationState: String, Sendable, Codable, CaseIterable {
    /// The bot answers.
    case bot
    /// Waiting for a human agent.
    case queued
    /// A human agent has it; the bot only suggests.
    case human
    /// Finished.
    case closed

    /// Whether the bot answers visitor messages in this state.
    public var botAnswers: Bool { self == .bot }
}

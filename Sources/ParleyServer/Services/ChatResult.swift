import ParleyCore

/// What the chat API answers for a customer message: the stored message, the reply, the conversation's state.
struct ChatResult: Sendable {
    var messageID: MessageID
    var reply: Message?
    var conversation: Conversation
    var decision: String
}

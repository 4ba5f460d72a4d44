import Foundation
import ParleyCore

/// Something that happened in a conversation that the people in it should see at once: a message, typing, a read
/// marker, a change of hands.
enum LiveEvent: Sendable {
    /// A message was stored.
    case message(Message)
    /// Someone in this role is typing.
    case typing(MessageRole)
    /// Someone in this role has seen everything up to this message.
    case read(MessageID, MessageRole)
    /// The conversation changed state: queued (with the position), taken by an agent (with their name), handed
    /// back, closed.
    case state(ConversationState, agent: String?, queuePosition: Int?)

    /// The event as a frame for the visitor's widget (see docs/widget.md).
    func visitorFrame(conversation: ConversationID) -> LiveFrame {
        var frame = LiveFrame(type: "", conversationID: conversation.rawValue)
        switch self {
        case .message(let message):
            frame.type = "message"
            frame.message = Wire.VisitorMessage(message)
        case .typing(let role):
            frame.type = "typing"
            frame.role = role.rawValue
        case .read(let id, let role):
            frame.type = "read"
            frame.messageID = id.rawValue
            frame.role = role.rawValue
        case .state(let state, let agent, let position):
            frame.type = "state"
            frame.state = state.rawValue
            frame.agent = agent
            frame.queuePosition = position
        }
        return frame
    }
}

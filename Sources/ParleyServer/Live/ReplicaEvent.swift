import Foundation
import ParleyCore

/// A note between replicas: a live event with the replica that sent it and whose conversation it belongs to (a message
/// passed by reference when it is too long for one note), word that a tenant's settings changed, or an agent's
/// presence report.
struct ReplicaEvent: Codable, Sendable {
    var replica: UUID
    var tenant: TenantID
    var conversation: ConversationID
    var kind: Kind
    var message: Message?
    var messageID: MessageID?
    var role: MessageRole?
    var state: ConversationState?
    var agent: String?
    var queuePosition: Int?
    var presence: AgentPresence.Report?

    enum Kind: String, Codable, Sendable {
        case message, messageReference, typing, read, state, tenantChanged, presence
    }

    /// An agent's presence report from `replica`.
    init(presence report: AgentPresence.Report, tenant: TenantID, replica: UUID) {
        self.replica = replica
        self.tenant = tenant
        conversation = ConversationID("")
        kind = .presence
        presence = report
    }

    /// Word from `replica` that the tenant's settings changed.
    init(tenantChanged tenant: TenantID, replica: UUID) {
        self.replica = replica
        self.tenant = tenant
        conversation = ConversationID("")
        kind = .tenantChanged
    }

    /// The event as sent by `replica`.
    init(_ event: LiveEvent, conversation: ConversationID, tenant: TenantID, replica: UUID) {
        self.replica = replica
        self.tenant = tenant
        self.conversation = conversation
        switch event {
        case .message(let message):
            kind = .message
            self.message = message
        case .typing(let role):
            kind = .typing
            self.role = role
        case .read(let id, let role):
            kind = .read
            messageID = id
            self.role = role
        case .state(let state, let agent, let position):
            kind = .state
            self.state = state
            self.agent = agent
            queuePosition = position
        }
    }

    /// The same event with its message replaced by a reference to the stored message.
    var byReference: ReplicaEvent {
        var copy = self
        if kind == .message, let message {
            copy.kind = .messageReference
            copy.messageID = message.id
            copy.message = nil
        }
        return copy
    }

    /// The live event, given a way to load a message passed by reference; nil when it cannot be rebuilt.
    func event(loading load: (MessageID) async throws -> Message?) async -> LiveEvent? {
        switch kind {
        case .message: return message.map(LiveEvent.message)
        case .messageReference:
            guard let messageID, let loaded = try? await load(messageID) else { return nil }
            return .message(loaded)
        case .typing: return role.map(LiveEvent.typing)
        case .read:
            guard let messageID, let role else { return nil }
            return .read(messageID, role)
        case .state:
            guard let state else { return nil }
            return .state(state, agent: agent, queuePosition: queuePosition)
        case .tenantChanged, .presence: return nil
        }
    }
}

import Foundation
import ParleyCore
import ParleyStore
import Synchronization

/// Turns stored as usual, except those of one tenant, which are opened from memory and never written.
///
/// `parley bench http --ceiling` sends that tenant's messages through the real message route: token, body, chain,
/// reply and response all run as usual, but the turn's first write is answered from memory (the conversation is read
/// once, when its first message arrives, and remembered) and its last write does nothing. The route's figure is
/// then what it would reach if storing a message cost nothing: the most any store could give it.
final class UnstoredTurns: TurnRepositoryLayer {
    let base: any TurnRepository
    private let tenant = Mutex<TenantID?>(nil)
    private let starts = Mutex<[ConversationID: TurnStart]>([:])

    init(base: any TurnRepository) { self.base = base }

    /// Stops storing the turns of `tenant`.
    func stopStoring(tenant id: TenantID) { tenant.withLock { $0 = id } }

    private func isUnstored(_ id: TenantID) -> Bool { tenant.withLock { $0 == id } }

    func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
        guard isUnstored(message.tenantID) else { return try await base.begin(message, visitor: visitor) }
        if let start = starts.withLock({ $0[message.conversationID] }) { return .started(start) }
        let opening = try await base.begin(message, visitor: visitor)
        if case .started(let start) = opening { starts.withLock { $0[message.conversationID] = start } }
        return opening
    }

    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    {
        guard !isUnstored(turn.tenantID) else { return }
        try await base.complete(turn, reply: reply, conversation: conversation, beganIn: beganIn)
    }
}

import Foundation
import ParleyCore
import Synchronization
import Testing

@testable import ParleyStore

/// On PostgreSQL a message's `seq` is handed out at insert; readers page by it, so a conversation's messages must
/// commit in `seq` order.
@Suite("PostgreSQL message order", .enabled(if: StoreFactory.postgresURL != nil))
struct PostgresMessageOrderTests {
    /// The ways a message goes into a conversation.
    enum Writer: String, CaseIterable, CustomTestStringConvertible {
        case agentMessage, customerMessage, turnBegin

        var testDescription: String { rawValue }

        func write(_ store: PostgresStore, _ conversation: Conversation) async throws {
            let message = Message(
                id: .generate(), tenantID: conversation.tenantID, conversationID: conversation.id,
                role: self == .agentMessage ? .agent : .customer, text: "Hello", clientMessageID: "c-\(rawValue)",
                inReplyTo: nil, metadata: [:], createdAt: Date())
            switch self {
            case .agentMessage: try await store.messages.append(message)
            case .customerMessage: _ = try await store.messages.appendCustomer(message)
            case .turnBegin: _ = try await store.turns.begin(message, visitor: conversation.visitorID)
            }
        }
    }

    @Test(
        "a message waits while another transaction stores one in its conversation: they commit in seq order",
        arguments: Writer.allCases)
    func messageWaitsForTheConversation(writer: Writer) async throws {
        let (base, tenant, conversation) = try await StoreContractTests.storeWithConversation(.postgres)
        let store = try #require(base as? PostgresStore)
        let finished = Flag()
        let reply = Message(
            id: .generate(), tenantID: tenant.id, conversationID: conversation.id, role: .assistant, text: "Reply",
            clientMessageID: nil, inReplyTo: nil, metadata: [:], createdAt: Date())
        // A transaction stores a reply and has not committed yet (as `turns.complete` between its insert and its
        // commit), while another message goes into the same conversation.
        let write = try await store.database.transaction(scope: .tenant(tenant.id)) { transaction in
            try await transaction.query(SQLValues.messageInsertSQL, try SQLValues.messageInsert(reply))
            let write = Task {
                try await writer.write(store, conversation)
                finished.set()
            }
            // Wait until the write is seen waiting for this transaction, or has finished (which it must not).
            let deadline = ContinuousClock.now + .seconds(30)
            var waiting = false
            while !waiting && !finished.isSet && ContinuousClock.now < deadline {
                // Asked on this transaction's own connection: is anyone waiting for it?
                waiting =
                    try await transaction.query(
                        """
                        SELECT count(*) AS waiting FROM pg_locks w JOIN pg_locks h ON h.locktype = 'transactionid'
                            AND h.transactionid = w.transactionid AND h.granted AND h.pid = pg_backend_pid()
                        WHERE NOT w.granted
                        """
                    ).first?.int("waiting") ?? 0 > 0
                if !waiting { try await Task.sleep(for: .milliseconds(20)) }
            }
            let storedMeanwhile = finished.isSet
            #expect(waiting && !storedMeanwhile, "a message was stored before an earlier one committed")
            return write
        }
        try await write.value
        let stored = try await store.messages.list(
            conversation: conversation.id, tenant: tenant.id, after: nil, limit: 10)
        #expect(stored.first?.id == reply.id && stored.count == 2, "in seq order: the reply, then the later message")
        try await store.close()
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    var isSet: Bool { value.withLock { $0 } }
}

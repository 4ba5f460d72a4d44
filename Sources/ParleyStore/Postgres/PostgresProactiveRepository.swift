import Foundation
import ParleyCore

/// Proactive message deliveries in PostgreSQL.
struct PostgresProactiveRepository: ProactiveRepository {
    let database: PostgresDatabase

    func deliver(_ message: Message, rule: String, visitor: VisitorID, allowance: ProactiveAllowance) async throws
        -> ProactiveOutcome
    {
        let binds = ProactiveStatements.binds(message, rule: rule, visitor: visitor, allowance: allowance)
        let messageBinds = try SQLValues.messageInsert(message)
        return try await database.transaction(scope: .tenant(message.tenantID)) { transaction in
            // Deliveries to one visitor take turns, across replicas; nothing else takes this lock, so taking the
            // conversation's lock after it cannot deadlock.
            try await transaction.lock("parley.proactive.\(message.tenantID.rawValue).\(visitor.rawValue)")
            guard try await transaction.query(ProactiveStatements.lastOfRule, binds.lastOfRule).isEmpty else {
                return .cooldown
            }
            let recent = try await transaction.query(ProactiveStatements.countSince, binds.countSince).first?.int("n")
            guard recent ?? 0 < allowance.cap else { return .frequencyCap }
            try await PostgresMessageRepository.lockConversation(
                message.conversationID, tenant: message.tenantID, transaction)
            // Read under the conversation's lock: a claim or close waits for this message, or this sees it.
            guard try await transaction.query(ProactiveStatements.withBot, binds.withBot).isEmpty == false else {
                return .notWithBot
            }
            try await transaction.query(SQLValues.messageInsertSQL, messageBinds)
            try await transaction.query(ProactiveStatements.record, binds.record)
            return .sent
        }
    }

    func deliveries(visitor: VisitorID, tenant: TenantID, since: Date) async throws -> [ProactiveDelivery] {
        try await database.query(
            """
            SELECT rule, sent_at FROM proactive_deliveries WHERE tenant_id = ? AND visitor_id = ? AND sent_at >= ?
            ORDER BY sent_at DESC
            """,
            [.text(tenant.rawValue), .text(visitor.rawValue), SQLValues.date(since)], scope: .tenant(tenant)
        ).map { ProactiveDelivery(rule: try $0.string("rule"), sentAt: try $0.date("sent_at")) }
    }
}

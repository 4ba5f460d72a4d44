import Foundation
import ParleyCore

/// Proactive message deliveries in SQLite.
struct SQLiteProactiveRepository: ProactiveRepository {
    let database: SQLiteDatabase

    func deliver(_ message: Message, rule: String, visitor: VisitorID, allowance: ProactiveAllowance) async throws
        -> ProactiveOutcome
    {
        let binds = ProactiveStatements.binds(message, rule: rule, visitor: visitor, allowance: allowance)
        let messageBinds = try SQLValues.messageInsert(message)
        // One write transaction on the one writer: the check and the writes cannot interleave with another's.
        return try await database.transaction { transaction in
            guard try transaction.query(ProactiveStatements.withBot, binds.withBot).isEmpty == false else {
                return .notWithBot
            }
            guard try transaction.query(ProactiveStatements.lastOfRule, binds.lastOfRule).isEmpty else {
                return .cooldown
            }
            let recent = try transaction.query(ProactiveStatements.countSince, binds.countSince).first?.int("n")
            guard recent ?? 0 < allowance.cap else { return .frequencyCap }
            try transaction.query(SQLValues.messageInsertSQL, messageBinds)
            try transaction.query(ProactiveStatements.record, binds.record)
            return .sent
        }
    }

    func deliveries(visitor: VisitorID, tenant: TenantID, since: Date) async throws -> [ProactiveDelivery] {
        try await database.query(
            """
            SELECT rule, sent_at FROM proactive_deliveries WHERE tenant_id = ? AND visitor_id = ? AND sent_at >= ?
            ORDER BY sent_at DESC
            """,
            [.text(tenant.rawValue), .text(visitor.rawValue), SQLValues.date(since)]
        ).map { ProactiveDelivery(rule: try $0.string("rule"), sentAt: try $0.date("sent_at")) }
    }
}

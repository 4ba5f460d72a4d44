import Foundation
import ParleyCore

/// Proactive message deliveries in PostgreSQL.
struct PostgresProactiveRepository: ProactiveRepository {
    let database: PostgresDatabase

    func record(_ delivery: ProactiveDelivery, visitor: VisitorID, tenant: TenantID) async throws {
        try await database.query(
            "INSERT INTO proactive_deliveries (tenant_id, visitor_id, rule, sent_at) VALUES (?, ?, ?, ?)",
            [.text(tenant.rawValue), .text(visitor.rawValue), .text(delivery.rule), SQLValues.date(delivery.sentAt)],
            scope: .tenant(tenant))
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

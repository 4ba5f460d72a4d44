import Foundation
import ParleyCore

/// Tenants' intents in SQLite, one row per tenant.
struct SQLiteIntentRepository: IntentRepository {
    let database: SQLiteDatabase

    func get(tenant: TenantID) async throws -> (set: IntentSet, version: Int)? {
        guard
            let row = try await database.query(
                "SELECT definition, version FROM tenant_intents WHERE tenant_id = ?", [.text(tenant.rawValue)]
            ).first
        else { return nil }
        return (try row.json("definition", as: IntentSet.self), try row.int("version"))
    }

    func save(_ set: IntentSet, tenant: TenantID) async throws -> Int {
        let rows = try await database.query(
            """
            INSERT INTO tenant_intents (tenant_id, definition, version, updated_at) VALUES (?, ?, 1, ?)
            ON CONFLICT (tenant_id) DO UPDATE SET definition = excluded.definition,
                version = tenant_intents.version + 1, updated_at = excluded.updated_at
            RETURNING version
            """,
            [.text(tenant.rawValue), try SQLValues.json(set), SQLValues.date(Date())])
        return try rows.first?.int("version") ?? 1
    }
}

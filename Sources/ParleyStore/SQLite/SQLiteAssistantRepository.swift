import Foundation
import ParleyCore

/// Assistant settings in SQLite, one JSON document per tenant.
struct SQLiteAssistantRepository: AssistantRepository {
    let database: SQLiteDatabase

    func get(tenant: TenantID) async throws -> AssistantSettings? {
        try await database.query(
            "SELECT settings FROM tenant_assistants WHERE tenant_id = ?", [.text(tenant.rawValue)]
        ).first.map { try $0.json("settings", as: AssistantSettings.self) }
    }

    func save(_ settings: AssistantSettings, tenant: TenantID) async throws {
        try await database.query(
            """
            INSERT INTO tenant_assistants (tenant_id, settings, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
            """,
            [.text(tenant.rawValue), try SQLValues.json(settings), SQLValues.date(Date())])
    }
}

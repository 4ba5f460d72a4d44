import Foundation
import ParleyCore

/// Widget settings in PostgreSQL, one JSON document per tenant.
struct PostgresWidgetRepository: WidgetRepository {
    let database: PostgresDatabase

    func get(tenant: TenantID) async throws -> WidgetSettings? {
        try await database.query(
            "SELECT settings FROM tenant_widgets WHERE tenant_id = ?", [.text(tenant.rawValue)], scope: .tenant(tenant)
        ).first.map { try $0.json("settings", as: WidgetSettings.self) }
    }

    func save(_ settings: WidgetSettings, tenant: TenantID) async throws {
        try await database.query(
            """
            INSERT INTO tenant_widgets (tenant_id, settings, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
            """,
            [.text(tenant.rawValue), try SQLValues.json(settings), SQLValues.date(Date())], scope: .tenant(tenant))
    }
}

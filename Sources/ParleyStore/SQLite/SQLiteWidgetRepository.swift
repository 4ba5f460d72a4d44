import ParleyCore

/// Widget settings in SQLite, one JSON document per tenant.
struct SQLiteWidgetRepository: WidgetRepository {
    let documents: SQLiteTenantDocument<WidgetSettings>

    init(database: SQLiteDatabase) {
        documents = SQLiteTenantDocument(database, table: "tenant_widgets")
    }

    func get(tenant: TenantID) async throws -> WidgetSettings? {
        try await documents.get(tenant: tenant)
    }

    func update(tenant: TenantID, _ change: @escaping @Sendable (inout WidgetSettings) throws -> Void) async throws
        -> WidgetSettings
    {
        try await documents.update(tenant: tenant, from: WidgetSettings(), change)
    }
}

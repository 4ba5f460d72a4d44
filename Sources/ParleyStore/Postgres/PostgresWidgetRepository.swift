import ParleyCore

/// Widget settings in PostgreSQL, one JSON document per tenant.
struct PostgresWidgetRepository: WidgetRepository {
    let documents: PostgresTenantDocument<WidgetSettings>

    init(database: PostgresDatabase) {
        documents = PostgresTenantDocument(database, table: "tenant_widgets")
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

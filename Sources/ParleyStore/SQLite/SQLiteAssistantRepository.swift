import ParleyCore

/// Assistant settings in SQLite, one JSON document per tenant.
struct SQLiteAssistantRepository: AssistantRepository {
    let documents: SQLiteTenantDocument<AssistantSettings>

    init(database: SQLiteDatabase) {
        documents = SQLiteTenantDocument(database, table: "tenant_assistants")
    }

    func get(tenant: TenantID) async throws -> AssistantSettings? {
        try await documents.get(tenant: tenant)
    }

    func update(tenant: TenantID, _ change: @escaping @Sendable (inout AssistantSettings) throws -> Void) async throws
        -> AssistantSettings
    {
        try await documents.update(tenant: tenant, from: AssistantSettings(), change)
    }
}

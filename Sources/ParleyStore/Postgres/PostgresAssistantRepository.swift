import ParleyCore

/// Assistant settings in PostgreSQL, one JSON document per tenant.
struct PostgresAssistantRepository: AssistantRepository {
    let documents: PostgresTenantDocument<AssistantSettings>

    init(database: PostgresDatabase) {
        documents = PostgresTenantDocument(database, table: "tenant_assistants")
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

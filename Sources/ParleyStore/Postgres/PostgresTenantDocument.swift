import ParleyCore

/// One settings document per tenant in PostgreSQL; a change holds the document's advisory lock from its read to its
/// write, so that two changes at once both land (row locks cannot hold a row that does not exist yet).
struct PostgresTenantDocument<Document: Codable & Sendable>: Sendable {
    let database: PostgresDatabase
    let statements: TenantDocumentStatements

    init(_ database: PostgresDatabase, table: String) {
        self.database = database
        statements = TenantDocumentStatements(table: table)
    }

    func get(tenant: TenantID) async throws -> Document? {
        try await database.query(statements.select, [.text(tenant.rawValue)], scope: .tenant(tenant)).first
            .map { try $0.json("settings", as: Document.self) }
    }

    func update(tenant: TenantID, from empty: Document, _ change: @escaping @Sendable (inout Document) throws -> Void)
        async throws -> Document
    {
        let statements = statements
        return try await database.transaction(scope: .tenant(tenant)) { transaction in
            try await transaction.lock("parley.settings.\(statements.table).\(tenant.rawValue)")
            var document =
                try await transaction.query(statements.select, [.text(tenant.rawValue)]).first
                .map { try $0.json("settings", as: Document.self) } ?? empty
            try change(&document)
            try await transaction.query(
                statements.upsert, try statements.upsertValues(document, tenant: tenant.rawValue))
            return document
        }
    }
}

import ParleyCore

/// One settings document per tenant in SQLite; a change reads and writes it in one step of the single writer.
struct SQLiteTenantDocument<Document: Codable & Sendable>: Sendable {
    let database: SQLiteDatabase
    let statements: TenantDocumentStatements

    init(_ database: SQLiteDatabase, table: String) {
        self.database = database
        statements = TenantDocumentStatements(table: table)
    }

    func get(tenant: TenantID) async throws -> Document? {
        try await database.query(statements.select, [.text(tenant.rawValue)]).first
            .map { try $0.json("settings", as: Document.self) }
    }

    func update(tenant: TenantID, from empty: Document, _ change: @escaping @Sendable (inout Document) throws -> Void)
        async throws -> Document
    {
        let statements = statements
        return try await database.transaction { transaction in
            var document =
                try transaction.query(statements.select, [.text(tenant.rawValue)]).first
                .map { try $0.json("settings", as: Document.self) } ?? empty
            try change(&document)
            try transaction.query(statements.upsert, try statements.upsertValues(document, tenant: tenant.rawValue))
            return document
        }
    }
}

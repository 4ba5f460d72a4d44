import ParleyCore

/// Tenants in SQLite.
struct SQLiteTenantRepository: TenantRepository {
    let database: SQLiteDatabase

    func create(_ tenant: Tenant) async throws {
        do {
            try await database.query(
                "INSERT INTO tenants (id, name, widget_key, fallback_text, created_at, plan) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .text(tenant.id.rawValue), .text(tenant.name), .text(tenant.widgetKey),
                    .text(tenant.fallbackText), SQLValues.date(tenant.createdAt), try SQLValues.json(tenant.plan),
                ])
        } catch let error as SQLiteFailure where error.isUniqueViolation {
            throw StoreError.conflict("a tenant with this id or widget key exists")
        }
    }

    func get(_ id: TenantID) async throws -> Tenant? {
        try await database.query("SELECT * FROM tenants WHERE id = ?", [.text(id.rawValue)]).first.map(
            StoredRows.tenant)
    }

    func find(widgetKey: String) async throws -> Tenant? {
        try await database.query("SELECT * FROM tenants WHERE widget_key = ?", [.text(widgetKey)]).first.map(
            StoredRows.tenant)
    }

    func list() async throws -> [Tenant] {
        try await database.query("SELECT * FROM tenants ORDER BY created_at, id").map(StoredRows.tenant)
    }

    func delete(_ id: TenantID) async throws -> Bool {
        try await database.transaction { transaction in
            try transaction.query("DELETE FROM tenants WHERE id = ?", [.text(id.rawValue)])
            return transaction.changes > 0
        }
    }

    func update(_ tenant: Tenant) async throws -> Bool {
        let rows = try await database.query(
            "UPDATE tenants SET name = ?, fallback_text = ?, plan = ? WHERE id = ? RETURNING id",
            [
                .text(tenant.name), .text(tenant.fallbackText), try SQLValues.json(tenant.plan),
                .text(tenant.id.rawValue),
            ])
        return !rows.isEmpty
    }
}

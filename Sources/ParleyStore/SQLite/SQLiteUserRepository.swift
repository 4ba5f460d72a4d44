import Foundation
import ParleyCore

/// Users in SQLite.
struct SQLiteUserRepository: UserRepository {
    let database: SQLiteDatabase

    func create(_ user: User) async throws {
        do {
            try await database.query(
                """
                INSERT INTO users (id, tenant_id, email, name, role, password_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(user.id.rawValue), .text(user.tenantID.rawValue), .text(user.email.lowercased()),
                    .text(user.name), .text(user.role.rawValue), .text(user.passwordHash),
                    SQLValues.date(user.createdAt),
                ])
        } catch let error as SQLiteFailure where error.isUniqueViolation {
            throw StoreError.conflict("a user with this email exists")
        }
    }

    func find(email: String) async throws -> User? {
        try await database.query("SELECT * FROM users WHERE email = ?", [.text(email.lowercased())])
            .first.map(StoredRows.user)
    }

    func get(_ id: UserID, tenant: TenantID) async throws -> User? {
        try await database.query(
            "SELECT * FROM users WHERE id = ? AND tenant_id = ?", [.text(id.rawValue), .text(tenant.rawValue)]
        ).first.map(StoredRows.user)
    }

    func list(tenant: TenantID) async throws -> [User] {
        try await database.query(
            "SELECT * FROM users WHERE tenant_id = ? ORDER BY created_at, id", [.text(tenant.rawValue)]
        ).map(StoredRows.user)
    }

    func delete(_ id: UserID, tenant: TenantID) async throws -> Bool {
        let binds: [SQLValue] = [.text(id.rawValue), .text(tenant.rawValue)]
        let now = SQLValues.date(Date())
        return try await database.transaction { transaction in
            try transaction.query("DELETE FROM users WHERE id = ? AND tenant_id = ?", binds)
            guard transaction.changes > 0 else { return false }
            try transaction.query(SQLValues.revokeCreatedKeysSQL, [now] + binds)
            return true
        }
    }

    func setPassword(_ id: UserID, tenant: TenantID, hash: String) async throws -> Bool {
        let binds: [SQLValue] = [.text(id.rawValue), .text(tenant.rawValue)]
        return try await database.transaction { transaction in
            try transaction.query(
                "UPDATE users SET password_hash = ? WHERE id = ? AND tenant_id = ?", [.text(hash)] + binds)
            guard transaction.changes > 0 else { return false }
            try transaction.query(SQLValues.deleteUserSessionsSQL, binds)
            return true
        }
    }
}

import Foundation
import ParleyCore

/// Refresh tokens in PostgreSQL: a token is found by its hash, then its family is handled in its tenant's scope.
///
/// A rotation and a sign-out of the same family take the family's advisory lock: without it, a sign-out's update
/// could miss a successor the rotation inserted after the update's snapshot. A rotation also holds its user's row
/// (`FOR SHARE`), which a password change updates before it deletes the user's tokens: the two are ordered too.
struct PostgresRefreshTokenRepository: RefreshTokenRepository {
    let database: PostgresDatabase

    func create(_ record: RefreshTokenRecord) async throws {
        try await database.query(
            SQLValues.refreshTokenInsertSQL, SQLValues.refreshTokenInsert(record), scope: .tenant(record.tenantID))
    }

    func rotate(tokenHash: String, successorHash: String, now: Date, lifetime: TimeInterval) async throws
        -> RefreshTokenUse
    {
        try await database.transaction(scope: .lookup(.refreshTokenHash, tokenHash)) { transaction in
            guard
                let found = try await transaction.query(
                    "SELECT tenant_id, family_id, user_id FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]
                ).first
            else { return .invalid }
            let tenant: TenantID = try found.id("tenant_id")
            try await transaction.enter(.tenant(tenant))
            try await transaction.lock(Self.familyLock(try found.string("family_id")))
            // A password change that came first has deleted the token (read below); one that comes after waits,
            // then deletes the successor too.
            try await transaction.query(
                "SELECT 1 FROM users WHERE id = ? AND tenant_id = ? FOR SHARE",
                [.text(try found.string("user_id")), .text(tenant.rawValue)])
            // Read again under the lock: a rotation that held it may have spent the token meanwhile.
            guard
                let row = try await transaction.query(
                    "SELECT * FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]
                ).first
            else { return .invalid }
            let record = try StoredRows.refreshToken(row)
            if row.optionalDate("used_at") != nil {
                try await transaction.query(
                    """
                    UPDATE refresh_tokens SET revoked_at = ?
                    WHERE tenant_id = ? AND family_id = ? AND revoked_at IS NULL
                    """,
                    [SQLValues.date(now), .text(tenant.rawValue), .text(record.familyID)])
                return .reused
            }
            guard row.optionalDate("revoked_at") == nil, record.expiresAt > now else { return .invalid }
            try await transaction.query(
                "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", [SQLValues.date(now), .text(tokenHash)])
            let successor = record.successor(hash: successorHash, now: now, lifetime: lifetime)
            try await transaction.query(SQLValues.refreshTokenInsertSQL, SQLValues.refreshTokenInsert(successor))
            return .accepted(successor)
        }
    }

    func revokeFamily(ofTokenHash tokenHash: String) async throws {
        try await database.transaction(scope: .lookup(.refreshTokenHash, tokenHash)) { transaction in
            guard
                let row = try await transaction.query(
                    "SELECT tenant_id, family_id FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]
                ).first
            else { return }
            let tenant: TenantID = try row.id("tenant_id")
            let family = try row.string("family_id")
            try await transaction.enter(.tenant(tenant))
            // Waits for a rotation of the family to commit, so that its successor is seen and revoked.
            try await transaction.lock(Self.familyLock(family))
            try await transaction.query(
                "UPDATE refresh_tokens SET revoked_at = ? WHERE tenant_id = ? AND family_id = ? AND revoked_at IS NULL",
                [SQLValues.date(Date()), .text(tenant.rawValue), .text(family)])
        }
    }

    /// The advisory lock of a family of refresh tokens.
    static func familyLock(_ family: String) -> String { "parley.refresh.\(family)" }
}

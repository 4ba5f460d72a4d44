import Foundation
import ParleyCore

/// Refresh tokens in SQLite.
struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let database: SQLiteDatabase

    func create(_ record: RefreshTokenRecord) async throws {
        try await database.query(
            """
            INSERT INTO refresh_tokens (token_hash, user_id, tenant_id, family_id, expires_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(record.tokenHash), .text(record.userID.rawValue), .text(record.tenantID.rawValue),
                .text(record.familyID), SQLValues.date(record.expiresAt),
            ])
    }

    func use(tokenHash: String, now: Date) async throws -> RefreshTokenUse {
        try await database.transaction { transaction in
            guard
                let row = try transaction.query(
                    "SELECT * FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]
                ).first
            else { return .invalid }
            let family = try row.string("family_id")
            if row.optionalDate("used_at") != nil {
                try transaction.query(
                    "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                    [SQLValues.date(now), .text(family)])
                return .reused
            }
            guard row.optionalDate("revoked_at") == nil, try row.date("expires_at") > now else { return .invalid }
            try transaction.query(
                "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?",
                [SQLValues.date(now), .text(tokenHash)])
            return .accepted(
                RefreshTokenRecord(
                    tokenHash: tokenHash, userID: try row.id("user_id"), tenantID: try row.id("tenant_id"),
                    familyID: family, expiresAt: try row.date("expires_at")))
        }
    }

    func revokeFamily(ofTokenHash tokenHash: String) async throws {
        try await database.query(
            """
            UPDATE refresh_tokens SET revoked_at = ?
            WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?)
            """,
            [SQLValues.date(Date()), .text(tokenHash)])
    }
}

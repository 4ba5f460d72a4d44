import Foundation
import ParleyCore

/// Refresh tokens in SQLite; the single writer orders a rotation and a sign-out of the same family.
struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let database: SQLiteDatabase

    func create(_ record: RefreshTokenRecord) async throws {
        try await database.query(SQLValues.refreshTokenInsertSQL, SQLValues.refreshTokenInsert(record))
    }

    func rotate(tokenHash: String, successorHash: String, now: Date, lifetime: TimeInterval) async throws
        -> RefreshTokenUse
    {
        try await database.transaction { transaction in
            guard
                let row = try transaction.query(
                    "SELECT * FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]
                ).first
            else { return .invalid }
            let record = try StoredRows.refreshToken(row)
            if row.optionalDate("used_at") != nil {
                try transaction.query(
                    "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                    [SQLValues.date(now), .text(record.familyID)])
                return .reused
            }
            guard row.optionalDate("revoked_at") == nil, record.expiresAt > now else { return .invalid }
            try transaction.query(
                "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?",
                [SQLValues.date(now), .text(tokenHash)])
            let successor = record.successor(hash: successorHash, now: now, lifetime: lifetime)
            try transaction.query(SQLValues.refreshTokenInsertSQL, SQLValues.refreshTokenInsert(successor))
            return .accepted(successor)
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

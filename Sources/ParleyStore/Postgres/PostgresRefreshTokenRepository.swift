import Foundation
import ParleyCore

/// Refresh tokens in PostgreSQL: a token is found by its hash, then its family is handled in its tenant's scope.
struct PostgresRefreshTokenRepository: RefreshTokenRepository {
    let database: PostgresDatabase

    func create(_ record: RefreshTokenRecord) async throws {
        try await database.query(
            """
            INSERT INTO refresh_tokens (token_hash, user_id, tenant_id, family_id, expires_at)
            VALUES (?, ?, ?, ?, ?)
            """,
            [
                .text(record.tokenHash), .text(record.userID.rawValue), .text(record.tenantID.rawValue),
                .text(record.familyID), SQLValues.date(record.expiresAt),
            ], scope: .tenant(record.tenantID))
    }

    func use(tokenHash: String, now: Date) async throws -> RefreshTokenUse {
        try await database.transaction(scope: .lookup(.refreshTokenHash, tokenHash)) { transaction in
            guard
                let row = try await transaction.query(
                    "SELECT * FROM refresh_tokens WHERE token_hash = ? FOR UPDATE", [.text(tokenHash)]
                ).first
            else { return .invalid }
            let tenant: TenantID = try row.id("tenant_id")
            let family = try row.string("family_id")
            try await transaction.enter(.tenant(tenant))
            if row.optionalDate("used_at") != nil {
                try await transaction.query(
                    """
                    UPDATE refresh_tokens SET revoked_at = ?
                    WHERE tenant_id = ? AND family_id = ? AND revoked_at IS NULL
                    """,
                    [SQLValues.date(now), .text(tenant.rawValue), .text(family)])
                return .reused
            }
            guard row.optionalDate("revoked_at") == nil, try row.date("expires_at") > now else { return .invalid }
            try await transaction.query(
                "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?", [SQLValues.date(now), .text(tokenHash)])
            return .accepted(
                RefreshTokenRecord(
                    tokenHash: tokenHash, userID: try row.id("user_id"), tenantID: tenant, familyID: family,
                    expiresAt: try row.date("expires_at")))
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
            try await transaction.enter(.tenant(tenant))
            try await transaction.query(
                "UPDATE refresh_tokens SET revoked_at = ? WHERE tenant_id = ? AND family_id = ? AND revoked_at IS NULL",
                [SQLValues.date(Date()), .text(tenant.rawValue), .text(try row.string("family_id"))])
        }
    }
}

import Foundation
import ParleyCore

/// A stored refresh token: only the hash of the secret is kept.
public struct RefreshTokenRecord: Sendable, Equatable {
    /// SHA-256 of the token, hex.
    public var tokenHash: String
    /// The signed-in user.
    public var userID: UserID
    /// The user's tenant.
    public var tenantID: TenantID
    /// Tokens rotated from one sign-in share a family; reuse of a spent token revokes the family.
    public var familyID: String
    /// When the token stops working.
    public var expiresAt: Date

    /// Makes a record.
    public init(tokenHash: String, userID: UserID, tenantID: TenantID, familyID: String, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.tenantID = tenantID
        self.familyID = familyID
        self.expiresAt = expiresAt
    }
}

/// What happened when a refresh token was presented.
public enum RefreshTokenUse: Sendable, Equatable {
    /// The token was live and is now spent.
    case accepted(RefreshTokenRecord)
    /// The token was already spent: someone replayed it, so its whole family is now revoked.
    case reused
    /// Unknown, expired or revoked.
    case invalid
}

/// Stores rotating refresh tokens.
public protocol RefreshTokenRepository: Sendable {
    /// Stores a new token.
    func create(_ record: RefreshTokenRecord) async throws
    /// Spends a token once; a second use revokes its family.
    func use(tokenHash: String, now: Date) async throws -> RefreshTokenUse
    /// Revokes every token of the family the token belongs to (sign-out).
    func revokeFamily(ofTokenHash tokenHash: String) async throws
}

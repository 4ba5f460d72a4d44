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
    /// When the whole family stops working, however often it is rotated: the sign-in's absolute end.
    public var sessionEndsAt: Date

    /// Makes a record.
    public init(
        tokenHash: String, userID: UserID, tenantID: TenantID, familyID: String, expiresAt: Date, sessionEndsAt: Date
    ) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.tenantID = tenantID
        self.familyID = familyID
        self.expiresAt = min(expiresAt, sessionEndsAt)
        self.sessionEndsAt = sessionEndsAt
    }

    /// The token that replaces this one in its family: it lives `lifetime` from `now`, but not past the session's end.
    public func successor(hash: String, now: Date, lifetime: TimeInterval) -> RefreshTokenRecord {
        RefreshTokenRecord(
            tokenHash: hash, userID: userID, tenantID: tenantID, familyID: familyID, expiresAt: now + lifetime,
            sessionEndsAt: sessionEndsAt)
    }
}

/// What happened when a refresh token was presented.
public enum RefreshTokenUse: Sendable, Equatable {
    /// The token was live and is now spent; this is its successor, stored.
    case accepted(RefreshTokenRecord)
    /// The token was already spent: someone replayed it, so its whole family is now revoked.
    case reused
    /// Unknown, expired or revoked.
    case invalid
}

/// Stores rotating refresh tokens.
public protocol RefreshTokenRepository: Sendable {
    /// Stores the first token of a new family (a sign-in).
    func create(_ record: RefreshTokenRecord) async throws
    /// Spends a live token and stores its successor (`successorHash`, living `lifetime`, not past the session's
    /// end) in one step, so that a sign-out of the family either comes first and refuses the token, or comes after
    /// and revokes the successor too. A second use of a token revokes its family.
    func rotate(tokenHash: String, successorHash: String, now: Date, lifetime: TimeInterval) async throws
        -> RefreshTokenUse
    /// Revokes every token of the family the token belongs to (sign-out), the successor of a rotation running at
    /// the same time included.
    func revokeFamily(ofTokenHash tokenHash: String) async throws
}

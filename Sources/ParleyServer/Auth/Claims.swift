import JWTKit
import ParleyCore

/// The claims of an admin access token: who, which tenant, which role, until when.
struct AccessClaims: JWTPayload {
    /// The user id, or `apikey:<id>` never (API keys are not tokens).
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    /// The user's tenant.
    var tid: String
    /// The user's role.
    var role: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// The claims of a visitor token: one visitor of one tenant, for a short time.
struct VisitorClaims: JWTPayload {
    /// The visitor id.
    var sub: SubjectClaim
    var exp: ExpirationClaim
    /// The tenant.
    var tid: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

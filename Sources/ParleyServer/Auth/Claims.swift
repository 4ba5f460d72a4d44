import Foundation
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

/// The claims of an events-stream ticket: one visitor's stream of one conversation, to be opened once within a minute.
///
/// A browser's `EventSource` can send no `Authorization` header, so its credential travels in the URL, where
/// proxies log it: the ticket opens that one stream, briefly, instead of the visitor token, which opens everything.
struct StreamTicketClaims: JWTPayload {
    /// The visitor id.
    var sub: SubjectClaim
    /// When the ticket can no longer open a stream.
    var exp: ExpirationClaim
    /// The ticket's own identifier: a ticket opens one stream (`SpentTickets`).
    ///
    /// Absent only from the tickets of a replica not yet upgraded, in a rolling deploy: those open streams as before.
    var jti: IDClaim?
    /// The tenant.
    var tid: String
    /// The conversation whose events the stream carries.
    var cid: String
    /// When the stream ends: the visitor token's own expiry, when the ticket was given.
    var until: Date

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

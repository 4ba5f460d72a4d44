import Foundation
import JWTKit
import ParleyCore

/// Signs and checks the server's tokens: 15-minute admin access tokens and short-lived visitor tokens (an hour by
/// default).
///
/// Admin and visitor tokens are signed with different derived keys, so neither can pass for the other.
struct TokenIssuer: Sendable {
    /// How long an admin access token lives.
    static let accessTokenLifetime: TimeInterval = 15 * 60
    /// How long a visitor token lives unless configured otherwise; the widget renews it through the session route.
    static let defaultVisitorTokenLifetime: TimeInterval = 60 * 60

    /// How long an events-stream ticket may wait to be used.
    static let streamTicketLifetime: TimeInterval = 60

    /// How long this issuer's visitor tokens live.
    let visitorTokenLifetime: TimeInterval
    private let adminKeys: JWTKeyCollection
    private let visitorKeys: JWTKeyCollection
    private let ticketKeys: JWTKeyCollection
    private let verifiedVisitors = VerifiedTokenCache<VisitorClaims>()
    private let spentTickets = SpentTickets()

    static func make(secret: SecretKey, visitorTokenLifetime: TimeInterval = defaultVisitorTokenLifetime) async
        -> TokenIssuer
    {
        let adminKeys = JWTKeyCollection()
        await adminKeys.add(hmac: HMACKey(key: secret.derived(for: "admin-jwt")), digestAlgorithm: .sha256)
        let visitorKeys = JWTKeyCollection()
        await visitorKeys.add(hmac: HMACKey(key: secret.derived(for: "visitor-jwt")), digestAlgorithm: .sha256)
        let ticketKeys = JWTKeyCollection()
        await ticketKeys.add(hmac: HMACKey(key: secret.derived(for: "stream-ticket-jwt")), digestAlgorithm: .sha256)
        return TokenIssuer(
            visitorTokenLifetime: visitorTokenLifetime, adminKeys: adminKeys, visitorKeys: visitorKeys,
            ticketKeys: ticketKeys)
    }

    /// A new access token for a signed-in user.
    func accessToken(for user: User, now: Date = Date()) async throws -> String {
        try await adminKeys.sign(
            AccessClaims(
                sub: .init(value: user.id.rawValue), exp: .init(value: now + Self.accessTokenLifetime),
                iat: .init(value: now), tid: user.tenantID.rawValue, role: user.role.rawValue))
    }

    /// The claims of a valid access token, or nil.
    func verifyAccessToken(_ token: String) async -> AccessClaims? {
        try? await adminKeys.verify(token, as: AccessClaims.self)
    }

    /// A new visitor token.
    func visitorToken(tenant: TenantID, visitor: VisitorID, now: Date = Date()) async throws -> String {
        try await visitorKeys.sign(
            VisitorClaims(
                sub: .init(value: visitor.rawValue), exp: .init(value: now + visitorTokenLifetime),
                tid: tenant.rawValue))
    }

    /// A ticket that opens the visitor's events stream of one conversation within ``streamTicketLifetime``; the
    /// stream lasts until `streamUntil`.
    func streamTicket(
        for visitor: VisitorIdentity, conversation: ConversationID, streamUntil: Date, now: Date = Date()
    ) async throws -> String {
        try await ticketKeys.sign(
            StreamTicketClaims(
                sub: .init(value: visitor.visitorID.rawValue), exp: .init(value: now + Self.streamTicketLifetime),
                jti: .init(value: UUID().uuidString), tid: visitor.tenantID.rawValue, cid: conversation.rawValue,
                until: streamUntil))
    }

    /// The claims of a valid events-stream ticket, or nil.
    func verifyStreamTicket(_ ticket: String) async -> StreamTicketClaims? {
        try? await ticketKeys.verify(ticket, as: StreamTicketClaims.self)
    }

    /// Uses up a verified ticket: true the first time, false after (a ticket opens one stream).
    func spend(_ ticket: StreamTicketClaims) -> Bool {
        guard let id = ticket.jti?.value else { return true }
        return spentTickets.spend(id, expiry: ticket.exp.value)
    }

    /// The claims of a valid visitor token, or nil.
    func verifyVisitorToken(_ token: String, now: Date = Date()) async -> VisitorClaims? {
        if let claims = verifiedVisitors.claims(of: token, now: now) { return claims }
        guard let claims = try? await visitorKeys.verify(token, as: VisitorClaims.self), now < claims.exp.value else {
            return nil
        }
        verifiedVisitors.insert(token, claims: claims, expiry: claims.exp.value)
        return claims
    }
}

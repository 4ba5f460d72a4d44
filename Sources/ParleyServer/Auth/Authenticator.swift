import Foundation
import HTTPTypes
import Hummingbird
import ParleyCore
import ParleyStore

/// Checks credentials on every protected route and enforces roles and rate limits.
struct Authenticator: Sendable {
    let tokens: TokenIssuer
    let store: any ParleyStore
    let apiKeyLimiter: RateLimiter
    let visitorLimiter: RateLimiter
    /// The smaller budget of calls that run a turn (messages, uploads), on top of `visitorLimiter`.
    let messageLimiter: RateLimiter

    /// Header a platform admin uses to act on a tenant other than its own.
    static let tenantHeader = HTTPField.Name("X-Parley-Tenant")!
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    /// The staff caller, if it has at least `minimum` role; otherwise 401 or 403.
    func staff(_ request: Request, minimum: Role) async throws -> StaffIdentity {
        var identity = try await authenticateStaff(request)
        guard identity.role >= minimum else {
            throw APIError.forbidden("this needs the \(minimum.rawValue) role or higher")
        }
        if let requested = request.headers[Self.tenantHeader], requested != identity.tenantID.rawValue {
            guard identity.role == .platformAdmin else {
                throw APIError.forbidden("only platform admins may act for another tenant")
            }
            guard try await store.tenants.get(TenantID(requested)) != nil else { throw APIError.notFound("tenant") }
            identity.tenantID = TenantID(requested)
        }
        return identity
    }

    /// The visitor a visitor token names; 401 without a valid one, 429 when the visitor is over its budget.
    func visitor(_ request: Request) async throws -> VisitorIdentity {
        try await visitor(token: Self.bearer(request)).identity
    }

    /// The visitor a visitor token names, and when the token expires.
    ///
    /// 401 without a valid token, 429 when the visitor is over its budget. For channels that cannot send a header
    /// (a WebSocket or an `EventSource`, which carry the token in the query).
    func visitor(token: String?) async throws -> (identity: VisitorIdentity, expiry: Date) {
        guard let token, let claims = await tokens.verifyVisitorToken(token) else {
            throw APIError(.unauthorized, "unauthorized", "a valid visitor token is required")
        }
        let identity = VisitorIdentity(tenantID: TenantID(claims.tid), visitorID: VisitorID(claims.sub.value))
        if let refusal = admit(identity) { throw refusal }
        return (identity, claims.exp.value)
    }

    /// Spends one request of the visitor's budget; the 429 to answer with when it is spent.
    func admit(_ visitor: VisitorIdentity) -> APIError? {
        visitorLimiter.acquire("\(visitor.tenantID)/\(visitor.visitorID)").map {
            RateLimitError.tooMany(retryAfter: $0, who: "visitor")
        }
    }

    /// Spends one message of the visitor's message budget; the 429 to answer with when it is spent.
    func admitMessage(_ visitor: VisitorIdentity) -> APIError? {
        messageLimiter.acquire("\(visitor.tenantID)/\(visitor.visitorID)").map {
            RateLimitError.tooMany(retryAfter: $0, who: "visitor's messages")
        }
    }

    private func authenticateStaff(_ request: Request) async throws -> StaffIdentity {
        if let key = request.headers[Self.apiKeyHeader]
            ?? Self.bearer(request).flatMap({ $0.hasPrefix(ApiKeyFormat.prefix) ? $0 : nil })
        {
            guard let apiKey = try await store.apiKeys.find(secretHash: SecretTokens.hash(key)) else {
                throw APIError(.unauthorized, "unauthorized", "the API key is unknown or revoked")
            }
            if let retry = apiKeyLimiter.acquire(apiKey.id.rawValue) {
                throw RateLimitError.tooMany(retryAfter: retry, who: "API key")
            }
            return StaffIdentity(
                userID: nil, apiKeyID: apiKey.id, tenantID: apiKey.tenantID, role: apiKey.role,
                onBehalfOf: apiKey.createdBy)
        }
        guard let token = Self.bearer(request) else { throw APIError.unauthorized }
        guard let claims = await tokens.verifyAccessToken(token), Role(rawValue: claims.role) != nil else {
            throw APIError(.unauthorized, "unauthorized", "the access token is invalid or expired")
        }
        // The stored account, not the token, says who may do what: a removed user's token stops working at once
        // rather than when it expires (long enough to make an API key that outlives the account).
        guard let user = try await store.users.get(UserID(claims.sub.value), tenant: TenantID(claims.tid)) else {
            throw APIError(.unauthorized, "unauthorized", "the account behind this access token no longer exists")
        }
        return StaffIdentity(
            userID: user.id, apiKeyID: nil, tenantID: user.tenantID, role: user.role, onBehalfOf: user.id)
    }

    /// The scheme's bytes in lowercase, followed by its space.
    private static let bearerScheme = Array("bearer ".utf8)

    static func bearer(_ request: Request) -> String? {
        // Byte-level work on the header: this runs on every authenticated request.
        guard let header = request.headers[.authorization] else { return nil }
        let bytes = Array(header.utf8)
        let scheme = bearerScheme
        guard bytes.count > scheme.count,
            zip(bytes, scheme).allSatisfy({ byte, expected in
                byte == expected || (expected > 0x60 && byte == expected - 0x20)
            })
        else { return nil }
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes[scheme.count...].firstIndex(where: { !isBlank($0) }),
            let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return nil }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

/// The shape of API keys: a recognisable prefix, then random characters.
enum ApiKeyFormat {
    static let prefix = "prl_"
}

/// A caller over its request budget.
enum RateLimitError {
    /// 429 with `Retry-After`.
    static func tooMany(retryAfter: Int, who: String) -> APIError {
        var error = APIError(
            .tooManyRequests, "rate_limited", "too many requests for this \(who); retry in \(retryAfter) s")
        error.headers[.retryAfter] = String(retryAfter)
        return error
    }
}

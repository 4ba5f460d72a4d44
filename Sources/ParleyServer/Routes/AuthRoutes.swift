import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// Staff sign-in: password login, rotating refresh tokens, password changes, and sign-out.
enum AuthRoutes {
    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    /// The shortest and longest password a user may choose, in characters.
    static let passwordLength = 12...256
    /// The most UTF-8 bytes of a password bcrypt reads: a longer one would be cut there without a word, and any text
    /// after its 72nd byte would sign in as well.
    static let passwordBytes = 72

    struct LoginRequest: Decodable {
        var email: String
        var password: String
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    struct TokenResponse: Encodable {
        var accessToken: String
        var refreshToken: String
        var tokenType = "Bearer"
        var expiresIn = Int(TokenIssuer.accessTokenLifetime)
        var user: Wire.UserView

        enum CodingKeys: String, CodingKey {
            case user
            case accessToken = "access_token"
            case refreshToken = "refresh_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    /// How long a refresh token lives; each refresh replaces it with one that lives as long again.
    static let refreshLifetime: TimeInterval = 30 * 24 * 3600
    /// How long a sign-in lasts at most, however often it is refreshed: then the password is asked again.
    static let sessionLifetime: TimeInterval = 90 * 24 * 3600

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/auth/login", summary: "Sign in with email and password", tag: "auth", access: .publicAccess,
            body: ["email": "string", "password": "string"], required: ["email", "password"]
        ) { request, context in
            let body = try await JSONBody.decode(LoginRequest.self, from: request, context: context)
            let email = body.email.lowercased().trimmingCharacters(in: .whitespaces)
            // No account has a longer address, and the limiter keeps one entry per address tried.
            guard email.unicodeScalars.count <= TenantProvisioner.maxEmailCharacters else {
                throw APIError.unprocessable("email is longer than \(TenantProvisioner.maxEmailCharacters) characters")
            }
            // The client's own budget first: made-up emails each have a budget of their own, and each costs a
            // bcrypt run. Then the account's, from that client only: counted over every client, anyone could keep
            // an account of their choosing refused (and, checked first, at no cost to their own budget).
            let group = context.peerGroup ?? "unknown"
            if let retry = services.authenticator.visitorLimiter.acquire("login-from/\(group)") {
                throw RateLimitError.tooMany(retryAfter: retry, who: "client address")
            }
            if let retry = services.authenticator.visitorLimiter.acquire("login/\(email)/\(group)") {
                throw RateLimitError.tooMany(retryAfter: retry, who: "account")
            }
            let user = try await services.store.users.find(email: email)
            let valid = try await services.passwords.verify(
                String(body.password.prefix(256)), hash: user?.passwordHash ?? services.passwords.decoyHash)
            guard let user, valid else {
                throw APIError(.unauthorized, "invalid_credentials", "the email or password is wrong")
            }
            return try .json(try await signIn(user, services: services))
        }

        api.on(
            .post, "/api/auth/refresh", summary: "Swap a refresh token for new tokens (the old one is spent)",
            tag: "auth", access: .publicAccess, body: ["refresh_token": "string"], required: ["refresh_token"]
        ) { request, context in
            let body = try await JSONBody.decode(RefreshRequest.self, from: request, context: context)
            let successor = SecretTokens.random()
            switch try await services.store.refreshTokens.rotate(
                tokenHash: SecretTokens.hash(body.refreshToken), successorHash: SecretTokens.hash(successor),
                now: Date(), lifetime: refreshLifetime)
            {
            case .accepted(let record):
                guard let user = try await services.store.users.get(record.userID, tenant: record.tenantID) else {
                    throw APIError(.unauthorized, "invalid_refresh_token", "the user no longer exists")
                }
                return try .json(
                    TokenResponse(
                        accessToken: try await services.tokens.accessToken(for: user), refreshToken: successor,
                        user: .init(user)))
            case .reused:
                context.logger.warning("refresh token reused; its session family was revoked")
                throw APIError(
                    .unauthorized, "refresh_token_reused", "this refresh token was already used; sign in again")
            case .invalid:
                throw APIError(
                    .unauthorized, "invalid_refresh_token", "the refresh token is unknown, expired or revoked")
            }
        }

        api.on(
            .post, "/api/auth/password",
            summary: "Change your password (replace the one-time password you were given): ends your other sessions "
                + "and answers with new tokens",
            tag: "auth", access: .staff(.analyst), body: ["current_password": "string", "new_password": "string"],
            required: ["current_password", "new_password"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            guard let userID = caller.userID,
                let user = try await services.store.users.get(userID, tenant: caller.tenantID)
            else { throw APIError.forbidden("an API key has no password") }
            let body = try await JSONBody.decode(PasswordChange.self, from: request, context: context)
            guard passwordLength.contains(body.newPassword.count) else {
                throw APIError.unprocessable(
                    "new_password must be \(passwordLength.lowerBound) to \(passwordLength.upperBound) characters")
            }
            guard body.newPassword.utf8.count <= passwordBytes else {
                throw APIError.unprocessable(
                    "new_password must be at most \(passwordBytes) bytes of UTF-8 (72 plain letters or digits; "
                        + "letters with accents and other scripts take two to four bytes each)")
            }
            guard body.newPassword != body.currentPassword else {
                throw APIError.unprocessable("new_password must differ from the current one")
            }
            // Each try costs a bcrypt run, and a stolen access token must not become a way to guess the password.
            if let retry = services.authenticator.visitorLimiter.acquire("password/\(userID.rawValue)") {
                throw RateLimitError.tooMany(retryAfter: retry, who: "account")
            }
            guard
                try await services.passwords.verify(
                    String(body.currentPassword.prefix(passwordLength.upperBound)), hash: user.passwordHash)
            else {
                throw APIError(.unauthorized, "invalid_credentials", "current_password is wrong")
            }
            let hash = try await services.passwords.hash(body.newPassword)
            guard try await services.store.users.setPassword(userID, tenant: caller.tenantID, hash: hash) else {
                throw APIError.notFound("user")
            }
            context.logger.info("password changed", metadata: ["user": "\(userID.rawValue)"])
            return try .json(try await signIn(user, services: services))
        }

        api.on(
            .post, "/api/auth/logout", summary: "Sign out: revoke the refresh token's session", tag: "auth",
            access: .publicAccess, body: ["refresh_token": "string"], required: ["refresh_token"]
        ) { request, context in
            let body = try await JSONBody.decode(RefreshRequest.self, from: request, context: context)
            try await services.store.refreshTokens.revokeFamily(ofTokenHash: SecretTokens.hash(body.refreshToken))
            return Response(status: .noContent)
        }
    }

    /// Tokens for a new sign-in: an access token and the first refresh token of a new family.
    private static func signIn(_ user: User, services: AppServices) async throws -> TokenResponse {
        let refresh = SecretTokens.random()
        let now = Date()
        try await services.store.refreshTokens.create(
            RefreshTokenRecord(
                tokenHash: SecretTokens.hash(refresh), userID: user.id, tenantID: user.tenantID,
                familyID: SecretTokens.random(bytes: 16), expiresAt: now + refreshLifetime,
                sessionEndsAt: now + sessionLifetime))
        return TokenResponse(
            accessToken: try await services.tokens.accessToken(for: user), refreshToken: refresh, user: .init(user))
    }
}

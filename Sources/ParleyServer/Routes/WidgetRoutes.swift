import Foundation
import Hummingbird
import ParleyCore

/// Opens widget sessions: checks the widget key and the page's origin, then issues a visitor token.
enum WidgetRoutes {
    struct SessionRequest: Decodable {
        var widgetKey: String
        var visitorID: String?
        var newConversation: Bool?

        enum CodingKeys: String, CodingKey {
            case widgetKey = "widget_key"
            case visitorID = "visitor_id"
            case newConversation = "new_conversation"
        }
    }

    struct SessionResponse: Encodable {
        var visitorToken: String
        var visitorID: String
        var conversationID: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case visitorToken = "visitor_token"
            case visitorID = "visitor_id"
            case conversationID = "conversation_id"
            case expiresIn = "expires_in"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/widget/session", summary: "Open a visitor session for a widget key from a verified origin",
            tag: "widget", access: .publicAccess,
            body: ["widget_key": "string", "visitor_id": "string", "new_conversation": "boolean"],
            required: ["widget_key"]
        ) { request, context in
            let body = try await JSONBody.decode(SessionRequest.self, from: request, context: context)
            guard let tenant = try await services.store.tenants.find(widgetKey: body.widgetKey) else {
                throw APIError(.unauthorized, "invalid_widget_key", "the widget key is unknown")
            }
            // The origin first: the key is public, and a refused origin must not spend the tenant's budget.
            try await checkOrigin(request.headers[.origin], tenant: tenant.id, services: services)
            if let retry = services.widgetKeyLimiter.acquire(tenant.id.rawValue) {
                throw RateLimitError.tooMany(retryAfter: retry, who: "widget key")
            }
            let now = Date()
            var visitor: Visitor
            if let signed = body.visitorID {
                guard let id = services.visitorIDs.verify(signed, tenant: tenant.id) else {
                    throw APIError.badRequest("invalid_visitor_id", "visitor_id was not issued by this server")
                }
                visitor =
                    try await services.store.visitors.get(id, tenant: tenant.id)
                    ?? Visitor(id: id, tenantID: tenant.id, attributes: [:], firstSeenAt: now, lastSeenAt: now)
                if now.timeIntervalSince(visitor.lastSeenAt) > Visitor.sessionGap { visitor.visits += 1 }
                visitor.lastSeenAt = now
            } else {
                visitor = Visitor(
                    id: .generate(), tenantID: tenant.id, attributes: [:], firstSeenAt: now, lastSeenAt: now)
            }
            try await services.store.visitors.save(visitor)
            var conversation = try await services.store.conversations.latestOpen(visitor: visitor.id, tenant: tenant.id)
            if conversation == nil || body.newConversation == true {
                let created = Conversation(
                    id: .generate(), tenantID: tenant.id, visitorID: visitor.id, state: .bot, tags: [], botFailures: 0,
                    createdAt: now, updatedAt: now)
                try await services.store.conversations.create(created)
                conversation = created
            }
            let token = try await services.tokens.visitorToken(tenant: tenant.id, visitor: visitor.id, now: now)
            return try .json(
                SessionResponse(
                    visitorToken: token, visitorID: services.visitorIDs.sign(visitor.id, tenant: tenant.id),
                    conversationID: conversation!.id.rawValue, expiresIn: Int(services.tokens.visitorTokenLifetime)))
        }
    }

    /// Whether an origin's host is this machine: `localhost`, an IPv4 literal in 127.0.0.0/8 or `::1` (a name that
    /// merely starts with `127.`, such as `127.example.com`, is not).
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "[::1]" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { octet in
                (1...3).contains(octet.count) && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber)
                    && Int(octet).map { $0 <= 255 } == true
            }
    }

    /// Accepts the request's `Origin` only when it is one of the tenant's verified domains, or loopback outside
    /// production.
    static func checkOrigin(_ origin: String?, tenant: TenantID, services: AppServices) async throws {
        guard let origin, let host = URLComponents(string: origin)?.host?.lowercased(),
            !host.isEmpty
        else {
            throw APIError(.forbidden, "origin_required", "the request must carry the Origin of the page")
        }
        if isLoopback(host) && services.configuration.environment != .production { return }
        guard try await services.store.domains.isVerified(host: host, tenant: tenant) else {
            throw APIError(.forbidden, "origin_not_allowed", "\(host) is not a verified domain of this widget")
        }
    }
}

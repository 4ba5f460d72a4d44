import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ParleyCore

/// The real-time channel to the widget: a WebSocket, and server-sent events for browsers that cannot open one.
enum LiveRoutes {
    static let socketPath = "/api/chat/ws"
    /// The header a widget on the fallback sends with its messages, naming its events stream so that the stream
    /// does not repeat what the message's own response already carries.
    static let listenerHeader = HTTPField.Name("X-Parley-Listener")!

    /// The WebSocket subprotocol the widget asks for.
    static let subprotocol = "parley"
    /// The prefix of the second protocol the widget offers, which carries its visitor token: a browser's WebSocket
    /// can send no `Authorization` header, and a token in the URL would land in proxies' access logs.
    static let tokenProtocolPrefix = "parley.token."

    /// The visitor token an upgrade request carries, and whether it came as a subprotocol.
    ///
    /// The widget offers `Sec-WebSocket-Protocol: parley, parley.token.TOKEN`; other clients may still send
    /// `?token=`.
    static func socketToken(_ head: HTTPRequest, query: String?) -> (token: String?, asSubprotocol: Bool) {
        let offered = head.headerFields[values: .secWebSocketProtocol]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if offered.contains(subprotocol),
            let carrier = offered.first(where: { $0.hasPrefix(tokenProtocolPrefix) })
        {
            return (String(carrier.dropFirst(tokenProtocolPrefix.count)), true)
        }
        return (query, false)
    }

    /// Decides a WebSocket upgrade: the socket path, a valid visitor token (offered as a subprotocol, or
    /// `?token=`), an allowed origin.
    ///
    /// A refused upgrade goes on to the router, whose route answers with the reason.
    static func upgrade(_ head: HTTPRequest, channel: any Channel, services: AppServices, logger: Logger) async
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>>
    {
        guard let components = head.path.flatMap({ URLComponents(string: $0) }), components.path == socketPath
        else { return .dontUpgrade }
        let (token, asSubprotocol) = socketToken(
            head, query: components.queryItems?.first { $0.name == "token" }?.value)
        guard
            let (identity, expiry) = try? await admit(
                token: token, origin: head.headerFields[.origin], services: services)
        else { return .dontUpgrade }
        // A browser fails a socket whose answer names none of the protocols it offered.
        let answer: HTTPFields = asSubprotocol ? [.secWebSocketProtocol: subprotocol] : [:]
        return .upgrade(answer) { inbound, outbound, _ in
            let socket = VisitorSocket(
                visitor: identity, expiry: expiry, services: services, logger: logger, channel: channel)
            await socket.run(inbound: inbound, outbound: outbound)
        }
    }

    /// The visitor of a token that came in a query, from a page whose origin the tenant allows.
    static func admit(token: String?, origin: String?, services: AppServices) async throws -> (VisitorIdentity, Date) {
        let (identity, expiry) = try await services.authenticator.visitor(token: token)
        try await WidgetRoutes.checkOrigin(origin, tenant: identity.tenantID, services: services)
        return (identity, expiry)
    }

    /// The origin of a page served by this host itself, for a request that carries no `Origin`.
    ///
    /// Browsers leave `Origin` out of a same-origin GET such as `EventSource`'s (a page on the server, or on a
    /// tenant's domain that proxies Parley); they say so in `Sec-Fetch-Site`, and the page's origin is then the
    /// request's own host, which is checked as any origin is.
    static func sameOrigin(_ request: Request) -> String? {
        guard request.headers[secFetchSite] == "same-origin", let host = request.head.authority, !host.isEmpty
        else { return nil }
        return "http://\(host)"
    }

    /// Who may open an events stream, of which conversation, until when: from a ticket, or (older widgets, other
    /// clients) from a visitor token and a `conversation_id`.
    static func streamAccess(
        _ query: Parameters, request: Request, origin: String?, services: AppServices
    ) async throws -> (VisitorIdentity, ConversationID, Date) {
        guard let ticket = query.get("ticket") else {
            let (visitor, expiry) = try await admit(
                token: query.get("token") ?? Authenticator.bearer(request), origin: origin, services: services)
            return (visitor, ConversationID(query.get("conversation_id") ?? ""), expiry)
        }
        guard let claims = await services.tokens.verifyStreamTicket(ticket), claims.until > Date() else {
            throw APIError(
                .unauthorized, "invalid_ticket",
                "the stream ticket is unknown or expired; ask POST /api/chat/events/ticket for a new one")
        }
        let visitor = VisitorIdentity(tenantID: TenantID(claims.tid), visitorID: VisitorID(claims.sub.value))
        if let refusal = services.authenticator.admit(visitor) { throw refusal }
        try await WidgetRoutes.checkOrigin(origin, tenant: visitor.tenantID, services: services)
        // Spent only once every check passed: a copy of the URL from a log opens nothing after the widget used it.
        guard services.tokens.spend(claims) else {
            throw APIError(
                .unauthorized, "invalid_ticket",
                "the stream ticket was used already; ask POST /api/chat/events/ticket for a new one")
        }
        return (visitor, ConversationID(claims.cid), claims.until)
    }

    struct TicketRequest: Decodable {
        var conversationID: String

        enum CodingKeys: String, CodingKey {
            case conversationID = "conversation_id"
        }
    }

    struct TicketResponse: Encodable {
        var ticket: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case ticket
            case expiresIn = "expires_in"
        }
    }

    /// `Sec-Fetch-Site`, which browsers send with every request.
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, socketPath,
            summary: "The widget's WebSocket (token offered as Sec-WebSocket-Protocol: parley, parley.token.TOKEN; or "
                + "?token=): messages in, streamed replies and live events out",
            tag: "chat", access: .visitor
        ) { request, _ in
            // Reached only when the upgrade was refused or not asked for: say why.
            _ = try await admit(
                token: socketToken(request.head, query: request.uri.queryParameters.get("token")).token,
                origin: request.headers[.origin], services: services)
            throw APIError(
                .upgradeRequired, "websocket_required", "this endpoint speaks WebSocket; send an upgrade request")
        }

        api.on(
            .post, "/api/chat/events/ticket",
            summary: "A ticket that opens the conversation's events stream once, within a minute (EventSource cannot "
                + "send the visitor token in a header, and a URL is logged)",
            tag: "chat", access: .visitor, body: ["conversation_id": "string"], required: ["conversation_id"]
        ) { request, context in
            let (visitor, expiry) = try await services.authenticator.visitor(token: Authenticator.bearer(request))
            let body = try await JSONBody.decode(TicketRequest.self, from: request, context: context)
            let conversation = try await ChatRoutes.visitorConversation(
                body.conversationID, visitor: visitor, services: services)
            let ticket = try await services.tokens.streamTicket(
                for: visitor, conversation: conversation.id, streamUntil: expiry)
            return try .json(TicketResponse(ticket: ticket, expiresIn: Int(TokenIssuer.streamTicketLifetime)))
        }

        api.on(
            .get, "/api/chat/events",
            summary: "A conversation's live events as server-sent events, for widgets without WebSocket "
                + "(?ticket=&listener=, the ticket from POST /api/chat/events/ticket; or ?conversation_id=&token=)",
            tag: "chat", access: .visitor
        ) { request, _ in
            let query = request.uri.queryParameters
            let origin = request.headers[.origin] ?? sameOrigin(request)
            let (visitor, id, until) = try await streamAccess(
                query, request: request, origin: origin, services: services)
            guard let conversation = try await services.store.conversations.get(id, tenant: visitor.tenantID),
                conversation.visitorID == visitor.visitorID
            else { throw APIError.notFound("conversation") }
            return LiveEventStream.response(
                services.events.watch(id, tenant: visitor.tenantID), conversation: id,
                skipping: query.get("listener").flatMap(UUID.init(uuidString:)), until: until)
        }
    }
}

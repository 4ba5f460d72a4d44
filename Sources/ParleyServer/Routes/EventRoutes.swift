import Foundation
import Hummingbird
import ParleyCore
import ParleyRules

/// Widget events (page views, time on page, cart changes...) that drive the tenant's proactive rules.
enum EventRoutes {
    struct EventResponse: Encodable {
        var message: Wire.VisitorMessage?
        var delayMilliseconds: Int?
        var suppressed: [Suppressed]

        struct Suppressed: Encodable {
            var rule: String
            var reason: String
        }

        enum CodingKeys: String, CodingKey {
            case message, suppressed
            case delayMilliseconds = "delay_ms"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/widget/event",
            summary: "Report a widget event; the tenant's on_event rules may answer with a proactive message",
            tag: "widget", access: .visitor,
            body: [
                "conversation_id": "string", "type": "string", "page_url": "string", "seconds": "number",
                "cart": "object", "name": "string", "data": "object",
            ],
            required: ["conversation_id", "type"]
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            var body = try await JSONBody.decode([String: JSONValue].self, from: request, context: context)
            guard case .string(let conversationID) = body.removeValue(forKey: "conversation_id") else {
                throw APIError.unprocessable("conversation_id must be a string")
            }
            let event = try validatedEvent(body)
            let result = try await services.proactive.handle(
                event: event, visitor: visitor, conversation: ConversationID(conversationID), logger: context.logger)
            for failure in result.failures {
                context.logger.warning(
                    "event rule failed", metadata: ["rule": "\(failure.rule)", "kind": "\(failure.failure.kind)"])
            }
            if let message = result.message {
                // The conversation's watchers (an agent looking on, the visitor's other tabs) hear of it when the
                // widget shows it, after the rule's delay (at most a minute); the widget shows one copy of it. The
                // visitor sees it whatever happened meanwhile, so the watchers do too, unless it was erased.
                let (events, store) = (services.events, services.store)
                let delay = result.delayMilliseconds
                Task {
                    try? await Task.sleep(for: .milliseconds(delay))
                    // Left out only when it is known to be gone: a read that fails publishes it anyway.
                    var gone = false
                    do {
                        gone = try await store.messages.get(message.id, tenant: message.tenantID) == nil
                    } catch {}
                    guard !gone else { return }
                    events.publish(.message(message), conversation: message.conversationID, tenant: message.tenantID)
                }
            }
            return try .json(
                EventResponse(
                    message: result.message.map(Wire.VisitorMessage.init),
                    delayMilliseconds: result.message == nil ? nil : result.delayMilliseconds,
                    suppressed: result.suppressed.map { .init(rule: $0.rule, reason: $0.reason) }))
        }
    }

    /// Checks an event against rule API v1: known type and fields, bounded sizes, and the right types.
    static func validatedEvent(_ fields: [String: JSONValue]) throws -> JSONValue {
        let event: JSONValue
        do {
            event = try EventView.event(fields)
        } catch {
            throw APIError.unprocessable(error.message)
        }
        if let url = fields["page_url"] {
            guard case .string(let text) = url, text.unicodeScalars.count <= 2_048 else {
                throw APIError.unprocessable("page_url must be a string of at most 2048 characters")
            }
        }
        if let seconds = fields["seconds"] {
            guard case .number(let value) = seconds, value >= 0, value <= 86_400 else {
                throw APIError.unprocessable("seconds must be a number from 0 to 86400")
            }
        }
        if let name = fields["name"] {
            guard case .string(let text) = name, (1...64).contains(text.unicodeScalars.count) else {
                throw APIError.unprocessable("name must be a string of 1 to 64 characters")
            }
        }
        if let cart = fields["cart"] {
            guard case .object(let cart) = cart, Set(cart.keys).isSubset(of: ["items", "value", "currency"]) else {
                throw APIError.unprocessable("cart must be an object with items, value and currency")
            }
            try requireScalars(cart, name: "cart")
        }
        if let data = fields["data"] {
            guard case .object(let data) = data, data.count <= 32 else {
                throw APIError.unprocessable("data must be an object of at most 32 fields")
            }
            try requireScalars(data, name: "data")
        }
        return event
    }

    private static func requireScalars(_ object: [String: JSONValue], name: String) throws {
        for (key, value) in object {
            guard key.unicodeScalars.count <= 64 else {
                throw APIError.unprocessable("\(name) keys are at most 64 characters")
            }
            switch value {
            case .bool, .number: continue
            case .string(let text) where text.unicodeScalars.count <= 500: continue
            default:
                throw APIError.unprocessable("\(name).\(key) must be a string (≤ 500 characters), number or boolean")
            }
        }
    }
}

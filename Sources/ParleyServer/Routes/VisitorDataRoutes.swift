import Crypto
import Foundation
import Hummingbird
import ParleyCore

/// What a visitor can see and do about themselves: their conversations, a copy of everything kept about them,
/// erasing it, and telling the tenant who they are (verified by the tenant's backend).
enum VisitorDataRoutes {
    struct ConversationEntry: Encodable {
        var conversationID: String
        var state: String
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case state
            case conversationID = "conversation_id"
            case updatedAt = "updated_at"
        }
    }

    /// Everything kept about the visitor (a GDPR access request).
    struct Export: Encodable {
        var visitor: VisitorView?
        var conversations: [ConversationExport]
        /// The proactive messages rules sent them, by rule and time (the messages are in their conversations).
        var proactive: [ProactiveExport]
        var exportedAt: Date

        struct ProactiveExport: Encodable {
            var rule: String
            var sentAt: Date

            enum CodingKeys: String, CodingKey {
                case rule
                case sentAt = "sent_at"
            }
        }

        /// What the visitor said of one reply: helpful (1) or not (-1), and their words.
        struct FeedbackExport: Encodable {
            var messageID: String
            var rating: Int
            var comment: String?
            var createdAt: Date

            enum CodingKeys: String, CodingKey {
                case rating, comment
                case messageID = "message_id"
                case createdAt = "created_at"
            }
        }

        struct VisitorView: Encodable {
            var id: String
            var attributes: [String: JSONValue]
            var firstSeenAt: Date
            var lastSeenAt: Date
            var visits: Int

            enum CodingKeys: String, CodingKey {
                case id, attributes, visits
                case firstSeenAt = "first_seen_at"
                case lastSeenAt = "last_seen_at"
            }
        }

        struct ConversationExport: Encodable {
            var conversationID: String
            var state: String
            var createdAt: Date
            var messages: [Wire.VisitorMessage]
            var feedback: [FeedbackExport]
            var rating: Int?
            var ratingComment: String?

            enum CodingKeys: String, CodingKey {
                case state, messages, feedback, rating
                case conversationID = "conversation_id"
                case createdAt = "created_at"
                case ratingComment = "rating_comment"
            }
        }

        enum CodingKeys: String, CodingKey {
            case visitor, conversations, proactive
            case exportedAt = "exported_at"
        }
    }

    struct IdentifyRequest: Decodable {
        var id: String
        var email: String?
        var name: String?
        var hash: String
    }

    /// Most conversations listed.
    static let conversationLimit = 200
    /// Most conversations exported: all of them, short of a bound on the response.
    static let exportedConversationLimit = 100_000
    /// Messages read at a time for an export.
    static let exportPage = 1_000

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/chat/conversations", summary: "The visitor's conversations, newest first", tag: "chat",
            access: .visitor
        ) { request, _ in
            let visitor = try await services.authenticator.visitor(request)
            let conversations = try await services.store.conversations.list(
                visitor: visitor.visitorID, tenant: visitor.tenantID, limit: conversationLimit)
            return try .json([
                "conversations": conversations.map {
                    ConversationEntry(conversationID: $0.id.rawValue, state: $0.state.rawValue, updatedAt: $0.updatedAt)
                }
            ])
        }

        api.on(
            .get, "/api/chat/data", summary: "Everything kept about the visitor, as JSON (data access request)",
            tag: "chat", access: .visitor
        ) { request, _ in
            let visitor = try await services.authenticator.visitor(request)
            let export = try await export(visitor, services: services)
            var response = try Response.json(export)
            response.headers[.contentDisposition] = "attachment; filename=\"parley-data.json\""
            return response
        }

        api.on(
            .delete, "/api/chat/data",
            summary: "Erase the visitor: their conversations, messages and attributes (erasure request)", tag: "chat",
            access: .visitor
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let erased = try await services.store.visitors.erase(visitor.visitorID, tenant: visitor.tenantID)
            // A conversation of theirs may have been waiting for an agent: those behind it move up.
            services.chat.queue.queueChanged(tenant: visitor.tenantID)
            context.logger.info(
                "visitor erased on request", metadata: ["tenant": "\(visitor.tenantID)", "conversations": "\(erased)"])
            return Response(status: .noContent)
        }

        api.on(
            .post, "/api/widget/identify",
            summary: "Say who the visitor is: id, email and name, signed by the tenant's backend (hash = "
                + "hex HMAC-SHA256 of id under the identity secret)",
            tag: "widget", access: .visitor,
            body: ["id": "string", "email": "string", "name": "string", "hash": "string"], required: ["id", "hash"]
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await JSONBody.decode(IdentifyRequest.self, from: request, context: context)
            guard (1...256).contains(body.id.unicodeScalars.count), (body.email?.unicodeScalars.count ?? 0) <= 320,
                (body.name?.unicodeScalars.count ?? 0) <= 200
            else { throw APIError.unprocessable("id must be 1 to 256 characters, email at most 320, name at most 200") }
            guard
                let sealed = try await services.store.widgets.get(tenant: visitor.tenantID)?.sealedIdentitySecret,
                let secret = try? services.keyVault.open(sealed, tenant: visitor.tenantID)
            else {
                throw APIError(
                    .conflict, "identity_not_configured",
                    "the tenant has no identity secret; identities can't be checked")
            }
            guard Self.verify(body.hash, id: body.id, secret: secret) else {
                throw APIError(.forbidden, "invalid_identity", "the hash does not match the id")
            }
            // The hash vouches for the id alone: the email and name are kept as the visitor gave them. Each identify
            // says who the visitor is now, whole: an email or name it leaves out is cleared, not kept from someone
            // identified before on the same browser. Merged into the visitor as stored, in one step: an erasure that
            // lands first is not undone, and what a turn's rules set meanwhile stays.
            let identity: [String: JSONValue] = [
                "user_id": .string(body.id), "user_id_verified": .bool(true),
                "email": body.email.map(JSONValue.string) ?? .null, "name": body.name.map(JSONValue.string) ?? .null,
            ]
            guard
                try await services.store.visitors.mergeAttributes(
                    identity, visitor: visitor.visitorID, tenant: visitor.tenantID)
            else { throw APIError.notFound("visitor") }
            return try .json(["status": "identified"])
        }
    }

    /// Whether `hash` is the hex HMAC-SHA256 of `id` under `secret`, compared in constant time.
    static func verify(_ hash: String, id: String, secret: String) -> Bool {
        let expected = HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return SecretTokens.equal(hash.lowercased().utf8, Data(expected).hexString.utf8)
    }

    private static func export(_ visitor: VisitorIdentity, services: AppServices) async throws -> Export {
        let stored = try await services.store.visitors.get(visitor.visitorID, tenant: visitor.tenantID)
        let tenant = visitor.tenantID
        var conversations: [Export.ConversationExport] = []
        for conversation in try await services.store.conversations.list(
            visitor: visitor.visitorID, tenant: tenant, limit: exportedConversationLimit)
        {
            var messages: [Message] = []
            while true {
                let page = try await services.store.messages.list(
                    conversation: conversation.id, tenant: tenant, after: messages.last?.id, limit: exportPage)
                messages += page
                if page.count < exportPage { break }
            }
            let feedback = try await services.store.messages.feedback(conversation: conversation.id, tenant: tenant)
                .map {
                    Export.FeedbackExport(
                        messageID: $0.messageID.rawValue, rating: $0.rating, comment: $0.comment,
                        createdAt: $0.createdAt)
                }
            let rating = try await services.store.conversations.rating(of: conversation.id, tenant: tenant)
            conversations.append(
                .init(
                    conversationID: conversation.id.rawValue, state: conversation.state.rawValue,
                    createdAt: conversation.createdAt, messages: messages.map(Wire.VisitorMessage.init),
                    feedback: feedback, rating: rating?.rating, ratingComment: rating?.comment))
        }
        let proactive = try await services.store.proactive.deliveries(
            visitor: visitor.visitorID, tenant: tenant, since: Date(timeIntervalSince1970: 0))
        return Export(
            visitor: stored.map {
                .init(
                    id: $0.id.rawValue, attributes: $0.attributes, firstSeenAt: $0.firstSeenAt,
                    lastSeenAt: $0.lastSeenAt, visits: $0.visits)
            },
            conversations: conversations,
            proactive: proactive.map { .init(rule: $0.rule, sentAt: $0.sentAt) }, exportedAt: Date())
    }
}

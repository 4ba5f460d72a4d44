import Foundation
import Hummingbird
import ParleyCore

/// The visitor's chat API: send a message, read the history, rate a reply, ask for a human.
enum ChatRoutes {
    struct MessageRequest: JSONObjectReadable {
        var conversationID: String
        var clientMessageID: String
        var text: String
        var pageURL: String?

        init(fields: JSONFields) throws {
            conversationID = try fields.string("conversation_id")
            clientMessageID = try fields.string("client_message_id")
            text = try fields.string("text")
            pageURL = try fields.optionalString("page_url")
        }
    }

    struct MessageResponse: JSONTextWritable, Sendable {
        var messageID: String
        var reply: Wire.VisitorMessage?
        var conversation: Wire.ConversationSummary

        enum CodingKeys: String, CodingKey {
            case reply, conversation
            case messageID = "message_id"
        }

        init(_ result: ChatResult) {
            messageID = result.messageID.rawValue
            reply = result.reply.map(Wire.VisitorMessage.init)
            conversation = .init(result.conversation)
        }

        func writeJSON(to writer: inout JSONTextWriter) throws {
            writer.beginObject()
            try writer.member("conversation", conversation)
            try writer.member("message_id", messageID)
            try writer.member("reply", ifPresent: reply)
            writer.endObject()
        }
    }

    struct HistoryResponse: JSONTextWritable {
        var conversation: Wire.ConversationSummary
        var messages: [Wire.VisitorMessage]

        func writeJSON(to writer: inout JSONTextWriter) throws {
            writer.beginObject()
            try writer.member("conversation", conversation)
            try writer.member("messages", messages)
            writer.endObject()
        }
    }

    /// A rating of one reply (`message_id`, 1 or -1) or of a whole conversation (`conversation_id`, 1 to 5).
    struct FeedbackRequest: Decodable {
        var messageID: String?
        var conversationID: String?
        var rating: Int
        var comment: String?

        enum CodingKeys: String, CodingKey {
            case rating, comment
            case messageID = "message_id"
            case conversationID = "conversation_id"
        }
    }

    struct EscalateRequest: Decodable {
        var conversationID: String
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case reason
            case conversationID = "conversation_id"
        }
    }

    struct Acknowledgement: Encodable {
        var status: String
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .post, "/api/chat/message", summary: "Send a visitor message and get the bot's reply", tag: "chat",
            access: .visitor,
            body: ["conversation_id": "string", "client_message_id": "string", "text": "string", "page_url": "string"],
            required: ["conversation_id", "client_message_id", "text"]
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await JSONBody.decode(MessageRequest.self, from: request, context: context)
            guard (1...128).contains(body.clientMessageID.unicodeScalars.count) else {
                throw APIError.unprocessable("client_message_id must be 1 to 128 characters")
            }
            guard body.text.contains(where: { !$0.isWhitespace }) else {
                throw APIError.unprocessable("text must not be empty")
            }
            guard body.text.utf8.count <= services.configuration.maxMessageBytes else {
                throw APIError(
                    .contentTooLarge, "message_too_large",
                    "text is longer than \(services.configuration.maxMessageBytes) bytes")
            }
            if let url = body.pageURL, url.unicodeScalars.count > 2_048 {
                throw APIError.unprocessable("page_url is too long")
            }
            if let refusal = services.authenticator.admitMessage(visitor) { throw refusal }
            let logger = context.logger
            let listener = request.headers[LiveRoutes.listenerHeader].flatMap(UUID.init(uuidString:))
            let turn: @Sendable ((any ReplySink)?) async throws -> MessageResponse = { sink in
                MessageResponse(
                    try await services.chat.handle(
                        visitor: visitor, conversationID: ConversationID(body.conversationID),
                        clientMessageID: body.clientMessageID, text: body.text, pageURL: body.pageURL, logger: logger,
                        sink: sink, origin: listener))
            }
            // Asked for a stream: the turn runs while the events flow (errors before this point are plain JSON). A
            // conversation that is not the visitor's is a plain 404 too, as without a stream, not a 200 stream that
            // says so.
            if ReplyEventStream.isRequested(by: request) {
                _ = try await visitorConversation(body.conversationID, visitor: visitor, services: services)
                return ReplyEventStream.response(logger: logger) { sink in try await turn(sink) }
            }
            return try .json(try await turn(nil))
        }

        api.on(
            .get, "/api/chat/history/:conversation_id", summary: "The messages of one of the visitor's conversations",
            tag: "chat", access: .visitor
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let conversation = try await visitorConversation(
                context.parameters.get("conversation_id") ?? "", visitor: visitor, services: services)
            let after = request.uri.queryParameters.get("after").map { MessageID(rawValue: $0) }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 200, 1), 500)
            let messages = try await services.store.messages.list(
                conversation: conversation.id, tenant: visitor.tenantID, after: after, limit: limit)
            let place =
                conversation.state == .queued
                ? try await services.chat.queue.place(of: conversation.id, tenant: visitor.tenantID) : nil
            return try .json(
                HistoryResponse(
                    conversation: .init(conversation, queuePosition: place),
                    messages: messages.map(Wire.VisitorMessage.init)))
        }

        api.on(
            .post, "/api/chat/feedback",
            summary: "Rate a reply (message_id, 1 or -1) or the whole conversation (conversation_id, 1 to 5)",
            tag: "chat", access: .visitor,
            body: ["message_id": "string", "conversation_id": "string", "rating": "integer", "comment": "string"],
            required: ["rating"]
        ) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await JSONBody.decode(FeedbackRequest.self, from: request, context: context)
            if let comment = body.comment, comment.unicodeScalars.count > 2_000 {
                throw APIError.unprocessable("comment must be at most 2000 characters")
            }
            switch (body.messageID, body.conversationID) {
            case (nil, let conversationID?):
                guard (1...5).contains(body.rating) else {
                    throw APIError.unprocessable("a conversation's rating must be 1 to 5")
                }
                let conversation = try await visitorConversation(conversationID, visitor: visitor, services: services)
                _ = try await services.store.conversations.saveRating(
                    ConversationRating(
                        conversationID: conversation.id, tenantID: visitor.tenantID, rating: body.rating,
                        comment: body.comment, createdAt: Date()))
                return try .json(Acknowledgement(status: "recorded"))
            case (nil, nil), (_?, _?):
                throw APIError.unprocessable("give either message_id (a reply) or conversation_id (the conversation)")
            case (let messageID?, nil):
                guard body.rating == 1 || body.rating == -1 else {
                    throw APIError.unprocessable("rating must be 1 or -1")
                }
                return try await rate(messageID, body, visitor: visitor, services: services)
            }
        }

        api.on(
            .post, "/api/chat/escalate", summary: "Ask for a human: the conversation is queued for an agent",
            tag: "chat", access: .visitor, body: ["conversation_id": "string", "reason": "string"],
            required: ["conversation_id"]
        ) { request, context in
            try await escalate(request, context: context, services: services)
        }
    }

    /// Stores the visitor's rating of one reply in one of their conversations.
    private static func rate(
        _ messageID: String, _ body: FeedbackRequest, visitor: VisitorIdentity, services: AppServices
    ) async throws -> Response {
        guard
            let message = try await services.store.messages.get(
                MessageID(messageID), tenant: visitor.tenantID),
            message.role == .assistant || message.role == .agent
        else { throw APIError.notFound("reply") }
        _ = try await visitorConversation(message.conversationID.rawValue, visitor: visitor, services: services)
        try await services.store.messages.saveFeedback(
            Feedback(
                messageID: message.id, tenantID: visitor.tenantID, rating: body.rating, comment: body.comment,
                createdAt: Date()))
        return try .json(Acknowledgement(status: "recorded"))
    }

    /// Queues the visitor's conversation for a human, as they asked.
    private static func escalate(_ request: Request, context: AppRequestContext, services: AppServices) async throws
        -> Response
    {
        let visitor = try await services.authenticator.visitor(request)
        let body = try await JSONBody.decode(EscalateRequest.self, from: request, context: context)
        var conversation = try await visitorConversation(body.conversationID, visitor: visitor, services: services)
        guard conversation.state != .closed else {
            throw APIError(.conflict, "conversation_closed", "the conversation is closed; start a new one")
        }
        if conversation.state == .bot {
            let reason = String((body.reason ?? "visitor asked for a human").prefix(500))
            let escalation = Escalation(priority: 1, reason: reason)
            let position = try await services.chat.queuePosition(priority: 1, tenant: visitor.tenantID)
            let handoff = Handoff(
                escalation: escalation, queuedAt: Date(),
                summary: "Reason: \(reason). The visitor asked for a human with the escalate button. "
                    + "Queue position on arrival: \(position).")
            // Compare-and-set: when a turn or an agent moved the conversation meanwhile, their state stands.
            if let queued = try await services.store.conversations.transition(
                conversation.id, tenant: visitor.tenantID, from: [.bot], to: .queued, agent: nil,
                handoff: handoff, holder: nil, at: Date())
            {
                conversation = queued
                let note = Message(
                    id: .generate(), tenantID: visitor.tenantID, conversationID: conversation.id, role: .system,
                    text: "The visitor asked for a human.", clientMessageID: nil, inReplyTo: nil,
                    metadata: ["reason": .string(reason)], createdAt: Date())
                try await services.store.messages.append(note)
                services.events.publish(.message(note), conversation: queued.id, tenant: visitor.tenantID)
                services.events.publish(
                    .state(.queued, agent: nil, queuePosition: position), conversation: queued.id,
                    tenant: visitor.tenantID)
                services.chat.queue.queueChanged(tenant: visitor.tenantID, joined: queued.id)
            } else {
                conversation = try await visitorConversation(
                    body.conversationID, visitor: visitor, services: services)
            }
        }
        return try .json(Wire.ConversationSummary(conversation))
    }

    /// The visitor's own conversation, or 404: another visitor's conversation does not exist for this caller.
    static func visitorConversation(_ id: String, visitor: VisitorIdentity, services: AppServices) async throws
        -> Conversation
    {
        guard
            let conversation = try await services.store.conversations.get(ConversationID(id), tenant: visitor.tenantID),
            conversation.visitorID == visitor.visitorID
        else { throw APIError.notFound("conversation") }
        return conversation
    }
}

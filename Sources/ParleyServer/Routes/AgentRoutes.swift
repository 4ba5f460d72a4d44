import Foundation
import Hummingbird
import ParleyCore
import ParleyStages
import ParleyStore

/// The agent side of a handoff: the queue, claiming a conversation, replying, handing back to the bot, closing.
enum AgentRoutes {
    struct QueueEntry: Encodable {
        var position: Int
        var conversation: Wire.ConversationDetail
    }

    struct MessageRequest: Decodable {
        var text: String
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/agent/queue", summary: "Conversations waiting for a human, in the order to take them",
            tag: "agent", access: .staff(.humanAgent)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let queue = try await services.store.conversations.queue(tenant: caller.tenantID, limit: 500)
            return try .json(
                queue.enumerated().map { QueueEntry(position: $0.offset + 1, conversation: .init($0.element)) })
        }
        api.on(
            .post, "/api/agent/conversations/:id/claim",
            summary: "Take a queued (or bot) conversation: the bot stops answering it", tag: "agent",
            access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            // A claim assigns the conversation to the caller's account; an API key has none, and a conversation
            // assigned to nobody could then be moved only by a manager.
            guard caller.userID != nil || caller.role >= .agentManager else {
                throw APIError.forbidden("an API key cannot hold a conversation; claim it as a signed-in agent")
            }
            let id = try await conversationID(context, tenant: caller.tenantID, services: services)
            guard
                let claimed = try await services.store.conversations.transition(
                    id, tenant: caller.tenantID, from: [.queued, .bot], to: .human, agent: caller.userID, handoff: nil,
                    holder: nil, at: Date())
            else {
                throw APIError(.conflict, "not_claimable", "the conversation is already with an agent or closed")
            }
            // A reply still being written stops here; its partial text is stored, marked interrupted.
            services.chat.inFlight.cancel(conversation: id)
            var name = "An agent"
            if let user = caller.userID, let found = try await services.store.users.get(user, tenant: caller.tenantID) {
                name = found.name
            }
            try await note("\(name) joined the conversation.", conversation: claimed, by: caller, services: services)
            services.events.publish(
                .state(.human, agent: name, queuePosition: nil), conversation: id, tenant: caller.tenantID)
            services.chat.queue.queueChanged(tenant: caller.tenantID)
            return try .json(Wire.ConversationDetail(claimed))
        }
        api.on(
            .post, "/api/agent/conversations/:id/messages", summary: "Reply to the visitor as the assigned agent",
            tag: "agent", access: .staff(.humanAgent), body: ["text": "string"], required: ["text"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let conversation = try await assigned(context, caller: caller, services: services)
            let body = try await JSONBody.decode(MessageRequest.self, from: request, context: context)
            let text = body.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw APIError.unprocessable("text must not be empty") }
            guard text.utf8.count <= services.configuration.maxMessageBytes else {
                throw APIError(.contentTooLarge, "message_too_large", "text is too long")
            }
            let message = Message(
                id: .generate(), tenantID: caller.tenantID, conversationID: conversation.id, role: .agent, text: text,
                clientMessageID: nil, inReplyTo: nil,
                metadata: caller.userID.map { ["agent": .string($0.rawValue)] } ?? [:], createdAt: Date())
            // Stored only if the conversation is still the caller's: a close or hand-over may have landed since.
            guard try await services.store.messages.appendWhileWithAgent(message, holder: holder(caller)) else {
                try await refuseLostRace(conversation.id, caller: caller, services: services)
                throw APIError(.conflict, "not_with_agent", "the conversation is no longer with an agent")
            }
            services.events.publish(.message(message), conversation: conversation.id, tenant: caller.tenantID)
            return try .json(Wire.VisitorMessage(message), status: .created)
        }
        api.on(
            .post, "/api/agent/conversations/:id/suggestion",
            summary: "A suggested reply to the visitor's latest message, for the agent's eyes only", tag: "agent",
            access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let id = try await conversationID(context, tenant: caller.tenantID, services: services)
            guard let conversation = try await services.store.conversations.get(id, tenant: caller.tenantID) else {
                throw APIError.notFound("conversation")
            }
            let assist = AgentAssist(
                store: services.store, answerers: services.answerers, knowledge: services.knowledge.search)
            let retrieval = try await services.chains.active(tenant: caller.tenantID).chain.stage(RetrievalStage.self)
            do {
                return try .json(try await assist.suggestion(for: conversation, retrieval: retrieval))
            } catch let error as APIError {
                throw error
            } catch {
                throw APIError(.badGateway, "suggestion_failed", "no suggestion could be made: the model failed")
            }
        }
        api.on(
            .post, "/api/agent/conversations/:id/handback", summary: "Hand the conversation back to the bot",
            tag: "agent", access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let conversation = try await assigned(context, caller: caller, services: services)
            guard
                let back = try await services.store.conversations.transition(
                    conversation.id, tenant: caller.tenantID, from: [.human], to: .bot, agent: nil, handoff: nil,
                    holder: holder(caller), at: Date())
            else {
                try await refuseLostRace(conversation.id, caller: caller, services: services)
                throw APIError(.conflict, "not_with_agent", "the conversation is not with an agent")
            }
            try await note("The conversation is back with the bot.", conversation: back, by: caller, services: services)
            services.events.publish(
                .state(.bot, agent: nil, queuePosition: nil), conversation: back.id, tenant: caller.tenantID)
            return try .json(Wire.ConversationDetail(back))
        }
        api.on(
            .post, "/api/agent/conversations/:id/close", summary: "Close the conversation", tag: "agent",
            access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let id = try await conversationID(context, tenant: caller.tenantID, services: services)
            if let current = try await services.store.conversations.get(id, tenant: caller.tenantID),
                current.state == .human, !may(caller, act: current)
            {
                throw APIError.forbidden("another agent has this conversation")
            }
            guard
                let closed = try await services.store.conversations.transition(
                    id, tenant: caller.tenantID, from: [.bot, .queued, .human], to: .closed, agent: nil, handoff: nil,
                    holder: holder(caller), at: Date())
            else {
                try await refuseLostRace(id, caller: caller, services: services)
                throw APIError(.conflict, "already_closed", "the conversation is already closed")
            }
            // A reply the bot is still writing stops here, as at a claim.
            services.chat.inFlight.cancel(conversation: id)
            services.events.publish(
                .state(.closed, agent: nil, queuePosition: nil), conversation: id, tenant: caller.tenantID)
            services.chat.queue.queueChanged(tenant: caller.tenantID)
            return try .json(Wire.ConversationDetail(closed))
        }
        api.on(
            .post, "/api/agent/conversations/:id/typing", summary: "Show the visitor that the agent is typing",
            tag: "agent", access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let conversation = try await assigned(context, caller: caller, services: services)
            services.events.publish(.typing(.agent), conversation: conversation.id, tenant: caller.tenantID)
            return Response(status: .noContent)
        }
        api.on(
            .post, "/api/agent/conversations/:id/read",
            summary: "Tell the visitor the agent has read up to a message", tag: "agent",
            access: .staff(.humanAgent), body: ["message_id": "string"], required: ["message_id"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let conversation = try await assigned(context, caller: caller, services: services)
            let body = try await JSONBody.decode([String: String].self, from: request, context: context)
            guard let id = body["message_id"], !id.isEmpty, id.count <= 128 else {
                throw APIError.unprocessable("message_id must be a message id")
            }
            services.events.publish(
                .read(MessageID(id), .agent), conversation: conversation.id, tenant: caller.tenantID)
            return Response(status: .noContent)
        }
        api.on(
            .get, "/api/agent/conversations/:id/events",
            summary: "The conversation's live events as server-sent events (messages, typing, read markers, state)",
            tag: "agent", access: .staff(.humanAgent)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let id = try await conversationID(context, tenant: caller.tenantID, services: services)
            // Staff credentials are checked once, at connect: the stream lasts an access token's lifetime, so that a
            // removed account or a revoked key stops hearing the conversation within it.
            return LiveEventStream.response(
                services.events.watch(id, tenant: caller.tenantID), conversation: id, skipping: nil,
                until: Date().addingTimeInterval(TokenIssuer.accessTokenLifetime))
        }
    }

    /// The conversation id from the path, checked to belong to the caller's tenant (404 otherwise).
    private static func conversationID(_ context: AppRequestContext, tenant: TenantID, services: AppServices)
        async throws -> ConversationID
    {
        let id = ConversationID(context.parameters.get("id") ?? "")
        guard try await services.store.conversations.get(id, tenant: tenant) != nil else {
            throw APIError.notFound("conversation")
        }
        return id
    }

    /// The conversation, when it is with an agent and the caller is that agent or manages agents.
    private static func assigned(_ context: AppRequestContext, caller: StaffIdentity, services: AppServices)
        async throws -> Conversation
    {
        let id = try await conversationID(context, tenant: caller.tenantID, services: services)
        guard let conversation = try await services.store.conversations.get(id, tenant: caller.tenantID),
            conversation.state == .human
        else { throw APIError(.conflict, "not_with_agent", "claim the conversation first") }
        guard may(caller, act: conversation) else { throw APIError.forbidden("another agent has this conversation") }
        return conversation
    }

    /// The agent a conversation with an agent must be with for the caller to move it: the caller, unless they
    /// manage agents (nil: any agent).
    private static func holder(_ caller: StaffIdentity) -> UserID? {
        caller.role >= .agentManager ? nil : (caller.userID ?? UserID(""))
    }

    /// After a move that matched nothing: 403 when another agent has the conversation now (they claimed it since
    /// the caller looked); returns otherwise, for the caller's own refusal.
    private static func refuseLostRace(_ id: ConversationID, caller: StaffIdentity, services: AppServices)
        async throws
    {
        if let now = try await services.store.conversations.get(id, tenant: caller.tenantID), now.state == .human,
            !may(caller, act: now)
        {
            throw APIError.forbidden("another agent has this conversation")
        }
    }

    /// Whether the caller may act on a conversation an agent has: that agent, or anyone who manages agents.
    private static func may(_ caller: StaffIdentity, act conversation: Conversation) -> Bool {
        caller.role >= .agentManager || (caller.userID != nil && caller.userID == conversation.assignedAgent)
    }

    /// Adds a system line to the conversation, so the visitor's history shows the change of hands.
    private static func note(
        _ text: String, conversation: Conversation, by caller: StaffIdentity, services: AppServices
    ) async throws {
        let message = Message(
            id: .generate(), tenantID: caller.tenantID, conversationID: conversation.id, role: .system, text: text,
            clientMessageID: nil, inReplyTo: nil, metadata: [:], createdAt: Date())
        try await services.store.messages.append(message)
        services.events.publish(.message(message), conversation: conversation.id, tenant: caller.tenantID)
    }
}

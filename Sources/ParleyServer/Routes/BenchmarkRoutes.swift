import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// Routes that each add one step of the message route to the one before, so `parley bench http --breakdown` can
/// show what each step costs: decode, token check, a read, storing the customer message, completing a turn.
///
/// Registered only when the configuration asks for them (`benchmarkRoutes`), which only the benchmark does; they take
/// the message route's body and visitor token, and store what the real route stores, minus the chain.
public enum BenchmarkRoutes {
    /// The routes in the order they add steps, with what each adds.
    public static let steps: [(path: String, adds: String)] = [
        ("/bench/decode", "POST body decoded"),
        ("/bench/token", "+ visitor token checked"),
        ("/bench/read", "+ one read on the reader pool"),
        ("/bench/conversation", "+ the conversation read"),
        ("/bench/begin", "+ the customer message stored (turns.begin)"),
        ("/bench/turn", "+ a bare reply stored (turns.complete)"),
    ]

    private struct Done: Encodable {
        var status = "ok"
    }

    static func register(_ api: APIRouter, services: AppServices) {
        let store = services.store
        @Sendable func message(_ request: Request, _ context: AppRequestContext) async throws
            -> ChatRoutes.MessageRequest
        {
            try await JSONBody.decode(ChatRoutes.MessageRequest.self, from: request, context: context)
        }
        @Sendable func customerMessage(_ body: ChatRoutes.MessageRequest, _ visitor: VisitorIdentity) -> Message {
            Message(
                id: .generate(), tenantID: visitor.tenantID, conversationID: ConversationID(body.conversationID),
                role: .customer, text: body.text, clientMessageID: body.clientMessageID, inReplyTo: nil,
                metadata: [:], createdAt: Date())
        }
        let summary = "Benchmark step (only with benchmarkRoutes)"
        api.on(.post, "/bench/decode", summary: summary, tag: "bench", access: .publicAccess) { request, context in
            _ = try await message(request, context)
            return try .json(Done())
        }
        api.on(.post, "/bench/token", summary: summary, tag: "bench", access: .visitor) { request, context in
            _ = try await services.authenticator.visitor(request)
            _ = try await message(request, context)
            return try .json(Done())
        }
        api.on(.post, "/bench/read", summary: summary, tag: "bench", access: .visitor) { request, context in
            _ = try await services.authenticator.visitor(request)
            _ = try await message(request, context)
            try await store.ping()
            return try .json(Done())
        }
        api.on(.post, "/bench/conversation", summary: summary, tag: "bench", access: .visitor) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await message(request, context)
            _ = try await store.conversations.get(ConversationID(body.conversationID), tenant: visitor.tenantID)
            return try .json(Done())
        }
        api.on(.post, "/bench/begin", summary: summary, tag: "bench", access: .visitor) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await message(request, context)
            _ = try await store.turns.begin(customerMessage(body, visitor), visitor: visitor.visitorID)
            return try .json(Done())
        }
        api.on(.post, "/bench/turn", summary: summary, tag: "bench", access: .visitor) { request, context in
            let visitor = try await services.authenticator.visitor(request)
            let body = try await message(request, context)
            let incoming = customerMessage(body, visitor)
            guard case .started(let start) = try await store.turns.begin(incoming, visitor: visitor.visitorID) else {
                return try .json(Done())
            }
            let reply = Message(
                id: .generate(), tenantID: visitor.tenantID, conversationID: incoming.conversationID,
                role: .assistant, text: "Thanks.", clientMessageID: nil, inReplyTo: incoming.id, metadata: [:],
                createdAt: Date())
            let record = TurnRecord(
                tenantID: visitor.tenantID, conversationID: incoming.conversationID, messageID: incoming.id,
                decision: "reply", decidedBy: nil, replyID: reply.id, trace: [], createdAt: Date())
            try await store.turns.complete(
                record, reply: reply, conversation: start.conversation, beganIn: start.conversation.state)
            return try .json(Done())
        }
    }
}

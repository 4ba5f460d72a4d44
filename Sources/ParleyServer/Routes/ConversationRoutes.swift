import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// Conversations for staff: the inbox list and one conversation with its messages and turn traces.
enum ConversationRoutes {
    struct TurnView: Encodable {
        var messageID: String
        var decision: String
        var decidedBy: String?
        var replyID: String?
        var trace: [TraceEntry]
        var createdAt: Date

        init(_ turn: TurnRecord) {
            messageID = turn.messageID.rawValue
            decision = turn.decision
            decidedBy = turn.decidedBy
            replyID = turn.replyID?.rawValue
            trace = turn.trace
            createdAt = turn.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case decision, trace
            case messageID = "message_id"
            case decidedBy = "decided_by"
            case replyID = "reply_id"
            case createdAt = "created_at"
        }
    }

    struct DetailResponse: Encodable {
        var conversation: Wire.ConversationDetail
        var messages: [Wire.StaffMessage]
        var turns: [TurnView]
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/conversations", summary: "The tenant's conversations, newest activity first",
            tag: "conversations", access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let state = try request.uri.queryParameters.get("state").map { text in
                guard let state = ConversationState(rawValue: text) else {
                    throw APIError.badRequest("invalid_query", "state must be bot, queued, human or closed")
                }
                return state
            }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 50, 1), 200)
            let conversations = try await services.store.conversations.list(
                tenant: caller.tenantID, state: state, limit: limit)
            return try .json(conversations.map(Wire.ConversationDetail.init))
        }
        api.on(
            .get, "/api/conversations/:id",
            summary: "One conversation with its newest messages (limit, before=<message id> to page back) and traces",
            tag: "conversations", access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let id = ConversationID(context.parameters.get("id") ?? "")
            guard let conversation = try await services.store.conversations.get(id, tenant: caller.tenantID) else {
                throw APIError.notFound("conversation")
            }
            // The newest messages (oldest first); `before` pages back through a long conversation.
            let before = request.uri.queryParameters.get("before").map { MessageID(rawValue: $0) }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 1_000, 1), 1_000)
            let messages = try await services.store.messages.recent(
                conversation: id, tenant: caller.tenantID, before: before, limit: limit)
            // The traces of this page's messages only: a long conversation's every trace would make each page huge.
            let shown = Set(messages.map(\.id))
            let turns = try await services.store.turns.list(conversation: id, tenant: caller.tenantID)
                .filter { shown.contains($0.messageID) }
            return try .json(
                DetailResponse(
                    conversation: .init(conversation), messages: messages.map(Wire.StaffMessage.init),
                    turns: turns.map(TurnView.init)))
        }
    }
}

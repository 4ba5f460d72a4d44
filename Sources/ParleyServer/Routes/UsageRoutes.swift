import Foundation
import Hummingbird
import ParleyCore

/// Model token usage for billing: totals per provider, for the tenant or one conversation.
enum UsageRoutes {
    struct UsageView: Encodable {
        var since: Date
        var providers: [ProviderTotal]

        struct ProviderTotal: Encodable {
            var provider: String
            var calls: Int
            var promptTokens: Int
            var completionTokens: Int

            enum CodingKeys: String, CodingKey {
                case provider, calls
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/usage",
            summary:
                "Model tokens used per provider since a time (?since=ISO 8601, default 30 days; ?conversation_id=); "
                + "a call that broke after it began writing counts too",
            tag: "usage", access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            var since = Date().addingTimeInterval(-30 * 24 * 3_600)
            if let text = request.uri.queryParameters.get("since") {
                guard let parsed = ISO8601DateFormatter().date(from: text) else {
                    throw APIError.unprocessable("since must be an ISO 8601 time such as 2026-01-31T00:00:00Z")
                }
                since = parsed
            }
            let conversation = request.uri.queryParameters.get("conversation_id").map { ConversationID($0) }
            let totals = try await services.store.usage.totals(
                tenant: caller.tenantID, since: since, conversation: conversation)
            return try .json(
                UsageView(
                    since: since,
                    providers: totals.map {
                        .init(
                            provider: $0.provider, calls: $0.calls, promptTokens: $0.promptTokens,
                            completionTokens: $0.completionTokens)
                    }))
        }
    }
}

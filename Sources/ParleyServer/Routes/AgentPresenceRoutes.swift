import Foundation
import Hummingbird
import ParleyCore

/// Agents' availability: each signed-in agent reports theirs (and repeats it as a heartbeat); everyone on the team
/// sees who is online or away, whichever replica they reached.
enum AgentPresenceRoutes {
    struct ReportRequest: Decodable {
        var status: String
    }

    struct AgentView: Encodable {
        var userID: String
        var name: String
        var status: String
        var since: Date
        var expiresAt: Date

        init(_ report: AgentPresence.Report) {
            userID = report.user.rawValue
            name = report.name
            status = report.status.rawValue
            since = report.since
            expiresAt = report.until
        }

        enum CodingKeys: String, CodingKey {
            case name, status, since
            case userID = "user_id"
            case expiresAt = "expires_at"
        }
    }

    struct PresenceResponse: Encodable {
        var agents: [AgentView]
        /// Seconds a report holds: heartbeat more often than this.
        var ttl: Int
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .put, "/api/agent/presence",
            summary: "Report your availability (online, away, offline); repeat it within ttl seconds as a heartbeat",
            tag: "agent", access: .staff(.humanAgent), body: ["status": "string"], required: ["status"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            let body = try await JSONBody.decode(ReportRequest.self, from: request, context: context)
            guard let status = AgentPresence.Status(rawValue: body.status) else {
                throw APIError.unprocessable("status must be online, away or offline")
            }
            guard let userID = caller.userID,
                let user = try await services.store.users.get(userID, tenant: caller.tenantID)
            else { throw APIError.forbidden("presence is for signed-in agents, not API keys") }
            services.presence.report(status, user: userID, name: user.name, tenant: caller.tenantID)
            return try response(tenant: caller.tenantID, services: services)
        }
        api.on(
            .get, "/api/agent/presence", summary: "The team's agents who are online or away now", tag: "agent",
            access: .staff(.humanAgent)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .humanAgent)
            return try response(tenant: caller.tenantID, services: services)
        }
    }

    private static func response(tenant: TenantID, services: AppServices) throws -> Response {
        try .json(
            PresenceResponse(
                agents: services.presence.available(tenant: tenant).map(AgentView.init),
                ttl: Int(services.presence.ttl)))
    }
}

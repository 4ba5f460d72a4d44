import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// Agents' availability: reports and heartbeats through the API, lapsing without one, per tenant, for signed-in
/// agents only.
@Suite("Agent presence")
struct AgentPresenceTests {
    @Test("an agent reports online, then away; the team sees it by name; offline leaves the list")
    func reports() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let agent = try await AgentHandoffTests().user("human_agent", "dana", harness: harness, admin: admin)
            #expect(try await harness.call(.get, "/api/agent/presence", token: agent)["agents"].array.isEmpty)

            let online = try await harness.call(.put, "/api/agent/presence", json: ["status": "online"], token: agent)
            #expect(online.status == .ok, "\(online.text)")
            #expect(online["ttl"].int == 90)
            let seen = try await harness.call(.get, "/api/agent/presence", token: admin)
            #expect(seen["agents"].array.map { $0["name"].string } == ["dana@demo.test"])
            #expect(seen["agents"][0]["status"].string == "online")
            let since = try #require(seen["agents"][0]["since"].string)

            // A heartbeat keeps `since`; a change of status moves it.
            _ = try await harness.call(.put, "/api/agent/presence", json: ["status": "online"], token: agent)
            let beat = try await harness.call(.get, "/api/agent/presence", token: admin)
            #expect(beat["agents"][0]["since"].string == since)
            _ = try await harness.call(.put, "/api/agent/presence", json: ["status": "away"], token: agent)
            #expect(
                try await harness.call(.get, "/api/agent/presence", token: admin)["agents"][0]["status"].string
                    == "away")

            _ = try await harness.call(.put, "/api/agent/presence", json: ["status": "offline"], token: agent)
            #expect(try await harness.call(.get, "/api/agent/presence", token: admin)["agents"].array.isEmpty)
        }
    }

    @Test("bad status is 422; API keys, visitors and analysts are refused; another tenant sees nothing")
    func refusals() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let bad = try await harness.call(.put, "/api/agent/presence", json: ["status": "busy"], token: admin)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorCode == "validation_failed")
            let key = try await harness.call(
                .post, "/api/api-keys", json: ["name": "bot", "role": "human_agent"], token: admin)
            let secret = try #require(key["secret"].string)
            #expect(
                try await harness.call(.put, "/api/agent/presence", json: ["status": "online"], token: secret).status
                    == .forbidden)
            let visitor = try await harness.session()
            #expect(
                try await harness.call(.put, "/api/agent/presence", json: ["status": "online"], token: visitor.token)
                    .status == .unauthorized)
            let analyst = try await AgentHandoffTests().user("analyst", "ann", harness: harness, admin: admin)
            #expect(try await harness.call(.get, "/api/agent/presence", token: analyst).status == .forbidden)

            _ = try await harness.call(.put, "/api/agent/presence", json: ["status": "online"], token: admin)
            let other = try await harness.newTenant("Elsewhere")
            #expect(try await harness.call(.get, "/api/agent/presence", token: other.token)["agents"].array.isEmpty)
            #expect(try await harness.call(.get, "/api/agent/presence", token: admin)["agents"].array.count == 1)
        }
    }

    @Test("a report lapses after its ttl without a heartbeat; an older relayed report does not undo a newer one")
    func lapsing() {
        let presence = AgentPresence(ttl: 90, sharedWithReplicas: false)
        let tenant = TenantID("t")
        let start = Date(timeIntervalSince1970: 1_000_000)
        let report = presence.report(.online, user: UserID("u"), name: "Dana", tenant: tenant, now: start)
        #expect(presence.available(tenant: tenant, now: start.addingTimeInterval(89)).map(\.name) == ["Dana"])
        #expect(presence.available(tenant: tenant, now: start.addingTimeInterval(91)).isEmpty)

        presence.report(.away, user: UserID("u"), name: "Dana", tenant: tenant, now: start.addingTimeInterval(100))
        presence.apply(report, tenant: tenant)  // the older one, arriving late from another replica
        #expect(
            presence.available(tenant: tenant, now: start.addingTimeInterval(101)).map(\.status) == [.away])
        #expect(presence.available(tenant: TenantID("other"), now: start).isEmpty)
    }
}

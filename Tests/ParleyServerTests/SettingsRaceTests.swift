import AsyncHTTPClient
import Foundation
import NIOFoundationCompat
import ParleyCore
import ParleyStore
import Synchronization
import Testing

@testable import ParleyServer

/// Settings written by two admins at once: each change lands, none brings back what the other replaced.
@Suite("Settings changed at the same time")
struct SettingsRaceTests {
    struct Assistants: AssistantRepository {
        let base: any AssistantRepository
        let meanwhile: Meanwhile

        func get(tenant: TenantID) async throws -> AssistantSettings? { try await base.get(tenant: tenant) }
        func update(tenant: TenantID, _ change: @escaping @Sendable (inout AssistantSettings) throws -> Void)
            async throws -> AssistantSettings
        {
            try await meanwhile.run()
            return try await base.update(tenant: tenant, change)
        }
    }

    struct Widgets: WidgetRepository {
        let base: any WidgetRepository
        let meanwhile: Meanwhile

        func get(tenant: TenantID) async throws -> WidgetSettings? { try await base.get(tenant: tenant) }
        func update(tenant: TenantID, _ change: @escaping @Sendable (inout WidgetSettings) throws -> Void)
            async throws -> WidgetSettings
        {
            try await meanwhile.run()
            return try await base.update(tenant: tenant, change)
        }
    }

    @Test("an embedder choice does not undo a persona change that landed while it was checked")
    func embedderKeepsPersona() async throws {
        let meanwhile = Meanwhile()
        let wrap: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, assistants: Assistants(base: base.assistants, meanwhile: meanwhile))
        }
        try await Harness.run(wrapStore: wrap) { harness in
            let admin = try await harness.demoAdmin()
            let tenant = harness.seed.demoTenantID
            meanwhile.arm {
                _ = try await harness.store.assistants.update(tenant: tenant) {
                    $0.persona.companyName = "Changed meanwhile"
                }
            }
            let chosen = try await harness.call(.put, "/api/knowledge/embedder", json: ["source": "none"], token: admin)
            #expect(chosen.status == .ok, "\(chosen.text)")
            let assistant = try await harness.call(.get, "/api/assistant", token: admin)
            #expect(assistant["persona"]["company_name"].string == "Changed meanwhile", "\(assistant.text)")
            let embedder = try await harness.call(.get, "/api/knowledge/embedder", token: admin)
            #expect(embedder["source"].string == "none", "\(embedder.text)")
        }
    }

    @Test("a branding change does not bring back the identity secret a rotation replaced meanwhile")
    func brandingKeepsRotatedSecret() async throws {
        let meanwhile = Meanwhile()
        let wrap: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, widgets: Widgets(base: base.widgets, meanwhile: meanwhile))
        }
        try await Harness.run(wrapStore: wrap) { harness in
            let admin = try await harness.demoAdmin()
            let rotated = Mutex<String?>(nil)
            meanwhile.arm {
                // Another admin rotates the secret while this request is between its read and its write, on a
                // connection of their own (the harness's client waits for this request's answer).
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)/api/widget/identity-secret")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(admin)")
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                let body = try await response.body.collect(upTo: 1 << 16)
                let answer = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                rotated.withLock { $0 = answer?["identity_secret"] as? String }
            }
            let saved = try await harness.call(.put, "/api/widget/settings", json: ["color": "#112233"], token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            let secret = try #require(rotated.withLock { $0 })
            let hash = IdentitySigning.hash("u-1", secret: secret)
            let visitor = try await harness.session()
            let identified = try await harness.call(
                .post, "/api/widget/identify", json: ["id": "u-1", "hash": hash], token: visitor.token)
            #expect(identified.status == .ok, "the rotated secret no longer works: \(identified.text)")
            let settings = try await harness.call(.get, "/api/widget/settings", token: admin)
            #expect(settings["color"].string == "#112233")
        }
    }
}

import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// The assistant settings API: persona and providers, API keys sealed at rest and never returned.
@Suite("Assistant settings API")
struct AssistantAPITests {
    static var providers: [[String: Any]] {
        [
            [
                "name": "primary", "kind": "openai", "base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini",
                "api_key": "sk-test-secret-123",
            ],
            [
                "name": "local", "kind": "openai_compatible", "base_url": "http://127.0.0.1:8089/v1", "model": "gemma",
            ],
        ]
    }

    @Test("keys are sealed, never returned, kept when omitted, and bound to their tenant")
    func keysAreSealed() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let initial = try await harness.call(.get, "/api/assistant", token: admin)
            #expect(initial["answering"].string == "extractive")
            #expect(initial["providers"].array.isEmpty)

            let saved = try await harness.call(
                .put, "/api/assistant",
                json: ["persona": ["company_name": "Demo Shop", "tone": "warm"], "providers": Self.providers],
                token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(!saved.text.contains("sk-test-secret-123"))
            #expect(saved["answering"].string == "model")
            #expect(saved["providers"][0]["has_api_key"].bool == true)
            #expect(saved["providers"][1]["has_api_key"].bool == false)
            #expect(saved["persona"]["company_name"].string == "Demo Shop")

            let read = try await harness.call(.get, "/api/assistant", token: admin)
            #expect(!read.text.contains("sk-test-secret-123"))

            // What is stored is sealed: not the key, and it opens only for this tenant with this server's secret.
            let tenant = harness.seed.demoTenantID
            let stored = try #require(try await harness.store.assistants.get(tenant: tenant))
            let sealed = try #require(stored.providers[0].sealedAPIKey)
            #expect(!sealed.contains("sk-test"))
            let vault = ProviderKeyVault(secret: SecretKey(bytes: Array(Harness.configuration().secretKey.utf8)))
            #expect(try vault.open(sealed, tenant: tenant) == "sk-test-secret-123")
            #expect(throws: (any Error).self) { try vault.open(sealed, tenant: TenantID("another-tenant")) }
            let otherServer = ProviderKeyVault(secret: SecretKey(bytes: Array(repeating: UInt8(1), count: 32)))
            #expect(throws: (any Error).self) { try otherServer.open(sealed, tenant: tenant) }

            // Omitting the key keeps it; an empty key removes it.
            var renamed = Self.providers
            renamed[0]["model"] = "gpt-4.1-mini"
            renamed[0].removeValue(forKey: "api_key")
            let kept = try await harness.call(.put, "/api/assistant", json: ["providers": renamed], token: admin)
            #expect(kept["providers"][0]["has_api_key"].bool == true)
            #expect(kept["persona"]["company_name"].string == "Demo Shop", "an omitted persona is kept")
            // A kept key stays with its endpoint: pointing the provider elsewhere needs the key again.
            var moved = renamed
            moved[0]["base_url"] = "https://collector.example/v1"
            let refused = try await harness.call(.put, "/api/assistant", json: ["providers": moved], token: admin)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(refused.errorCode == "validation_failed" && refused.text.contains("send its api_key again"))
            moved[0]["base_url"] = "https://api.openai.com/v1"
            moved[0]["kind"] = "openai_compatible"
            #expect(
                try await harness.call(.put, "/api/assistant", json: ["providers": moved], token: admin).status
                    == .unprocessableContent, "a new kind moves the key too")
            let unmoved = try #require(try await harness.store.assistants.get(tenant: tenant))
            #expect(unmoved.providers[0].baseURL == "https://api.openai.com/v1" && unmoved.providers[0].kind == .openAI)
            #expect(
                try vault.open(try #require(unmoved.providers[0].sealedAPIKey), tenant: tenant) == "sk-test-secret-123")
            moved[0]["base_url"] = "https://collector.example/v1"
            moved[0]["api_key"] = "sk-collector"
            let rekeyed = try await harness.call(.put, "/api/assistant", json: ["providers": moved], token: admin)
            #expect(rekeyed.status == .ok && rekeyed["providers"][0]["has_api_key"].bool == true, "\(rekeyed.text)")
            renamed[0]["api_key"] = ""
            let removed = try await harness.call(.put, "/api/assistant", json: ["providers": renamed], token: admin)
            #expect(removed["providers"][0]["has_api_key"].bool == false)

            // Another tenant sees its own, empty settings.
            let other = try await harness.newTenant("OtherCo")
            #expect(try await harness.call(.get, "/api/assistant", token: other.token)["providers"].array.isEmpty)
        }
    }

    @Test("bad settings get a 422 naming the problem; roles are enforced")
    func validationAndRoles() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            for (providers, problem) in [
                ([["name": "a", "kind": "openai", "base_url": "ftp://x", "model": "m"]], "base_url"),
                (
                    [["name": "a", "kind": "azure", "base_url": "https://x.openai.azure.com", "model": "m"]],
                    "api_version"
                ),
                ([["name": "a", "kind": "openai", "base_url": "https://x", "model": ""]], "model"),
                (Array(repeating: Self.providers[1], count: 2), "unique"),
                (
                    [["name": "a", "kind": "openai", "base_url": "https://x", "model": "m", "first_token_ms": 5]],
                    "first_token_ms"
                ),
            ] as [([[String: Any]], String)] {
                let reply = try await harness.call(.put, "/api/assistant", json: ["providers": providers], token: admin)
                #expect(reply.status == .unprocessableContent, "\(problem): \(reply.text)")
                #expect(reply["error"]["message"].string?.contains(problem) == true, "\(reply.text)")
            }
            // A slow local model: a longer first-token limit, instructions folded into the user message.
            let local = try await harness.call(
                .put, "/api/assistant",
                json: [
                    "providers": [
                        [
                            "name": "local", "kind": "openai_compatible", "base_url": "http://127.0.0.1:8089/v1",
                            "model": "gemma3-270m", "first_token_ms": 20_000, "system_role": false,
                        ]
                    ]
                ], token: admin)
            #expect(local.status == .ok, "\(local.text)")
            #expect(local["providers"][0]["first_token_ms"].int == 20_000)
            #expect(local["providers"][0]["system_role"].bool == false)
            let badKind = try await harness.call(
                .put, "/api/assistant",
                json: ["providers": [["name": "a", "kind": "bard", "base_url": "https://x", "model": "m"]]],
                token: admin)
            #expect(badKind.status.code >= 400 && badKind.status.code < 500 && badKind.errorCode != nil)

            let invited = try await harness.call(
                .post, "/api/users", json: ["email": "ann@demo.test", "role": "analyst"], token: admin)
            let analyst = try await harness.login("ann@demo.test", try #require(invited["one_time_password"].string))
            #expect(try await harness.call(.get, "/api/assistant", token: analyst).status == .forbidden)
            #expect(
                try await harness.call(.put, "/api/assistant", json: ["providers": []], token: analyst).status
                    == .forbidden)
            #expect(try await harness.call(.get, "/api/assistant").status == .unauthorized)
        }
    }
}

import Foundation
import ParleyAI
import ParleyCore
import Testing

@testable import ParleyServer

/// Tenants' model and embeddings endpoints reach only public addresses and the private hosts the operator named:
/// a tenant admin must not aim the server at its own network (a database, a cloud metadata service).
@Suite("Tenant endpoint addresses")
struct EndpointAddressTests {
    /// The configuration of a server that lets tenants reach no private host, or the named ones.
    static func configuration(allowing hosts: [String] = []) -> ServerConfiguration {
        var configuration = Harness.configuration()
        configuration.providerPrivateHosts = PrivateHostAllowance(hosts: hosts)
        return configuration
    }

    @Test("a model or embeddings URL on a private network is refused with 422 and nothing is saved")
    func privateEndpointsAreRefused() async throws {
        try await Harness.run(Self.configuration()) { harness in
            let admin = try await harness.demoAdmin()
            for url in [
                "http://127.0.0.1:9/v1", "http://localhost:9/v1", "http://[::1]:9/v1", "http://169.254.169.254/v1",
                "http://10.1.2.3/v1", "http://[::ffff:192.168.0.1]/v1",
            ] {
                let refused = try await harness.call(
                    .put, "/api/assistant",
                    json: [
                        "providers": [
                            StreamingAnswerTests.provider("https://8.8.8.8/v1", name: "public"),
                            StreamingAnswerTests.provider(url),
                        ]
                    ],
                    token: admin)
                #expect(refused.status == .unprocessableContent, "\(url): \(refused.text)")
                #expect(refused.errorCode == "endpoint_not_allowed", "\(url): \(refused.text)")
                let message = refused["error"]["message"].string ?? ""
                #expect(message.contains("providers[1].base_url") && message.contains("PARLEY_PROVIDER_PRIVATE_HOSTS"))

                let embedder = try await harness.call(
                    .put, "/api/knowledge/embedder",
                    json: [
                        "source": "provider", "kind": "openai_compatible", "base_url": url, "model": "m",
                        "dimensions": 8,
                    ], token: admin)
                #expect(embedder.status == .unprocessableContent, "\(url): \(embedder.text)")
                #expect(embedder.errorCode == "endpoint_not_allowed", "\(url): \(embedder.text)")
            }
            let stored = try await harness.store.assistants.get(tenant: harness.seed.demoTenantID)
            #expect(stored?.providers.isEmpty ?? true)
            #expect((stored?.embedder ?? .server) == .server)
            // A public address is saved (and not called: saving a chat provider sends nothing).
            let saved = try await harness.call(
                .put, "/api/assistant", json: ["providers": [StreamingAnswerTests.provider("https://8.8.8.8/v1")]],
                token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
        }
    }

    @Test("a private host the operator named is reached; another name for the same address is not")
    func namedHostsAreReached() async throws {
        try await StreamingAnswerTests.withFakeProvider(.stream(["Refunds take five business days [1]."])) {
            port, received in
            try await Harness.run(Self.configuration(allowing: ["127.0.0.1"])) { harness in
                let admin = try await harness.demoAdmin()
                let other = try await harness.call(
                    .put, "/api/assistant",
                    json: ["providers": [StreamingAnswerTests.provider("http://localhost:\(port)/v1")]],
                    token: admin)
                #expect(other.errorCode == "endpoint_not_allowed", "\(other.text)")
                _ = try await StreamingAnswerTests.setUp(harness, port: port)
                let visitor = try await harness.session()
                let reply = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                #expect(reply["reply"]["text"].string?.contains("Refunds take five business days") == true)
                #expect(received.bodies.withLock { $0.count } == 1)
            }
        }
    }

    @Test("an endpoint stored before its address became private is not called; the turn answers from knowledge")
    func turnsCheckTheAddressAgain() async throws {
        try await StreamingAnswerTests.withFakeProvider(.stream(["From the model."])) { port, received in
            try await Harness.run(Self.configuration()) { harness in
                let admin = try await harness.demoAdmin()
                try await StreamingAnswerTests.addRefundsFAQ(harness, admin: admin)
                // Saved while its name led elsewhere (as with DNS rebinding): only the request-time check is left.
                _ = try await harness.store.assistants.update(tenant: harness.seed.demoTenantID) {
                    $0.providers = [
                        ProviderSettings(
                            name: "fake", kind: .openAICompatible, baseURL: "http://127.0.0.1:\(port)/v1",
                            model: "fake-model")
                    ]
                }
                let visitor = try await harness.session()
                let reply = try await harness.say(
                    "How long do refunds take?", token: visitor.token, conversation: visitor.conversation)
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(received.bodies.withLock { $0.isEmpty }, "the provider on loopback was called")
                #expect(reply["reply"]["text"].string?.contains("From the model") != true, "\(reply.text)")
                let detail = try await harness.call(
                    .get, "/api/conversations/\(visitor.conversation)", token: admin)
                #expect(detail.text.contains("private or loopback address"), "\(detail.text)")
            }
        }
    }

    @Test("PARLEY_PROVIDER_PRIVATE_HOSTS: a list, * for all; by default all in development and none in production")
    func configurationFromEnvironment() throws {
        let development = try ServerConfiguration.fromEnvironment([:])
        #expect(development.tenantEndpointHosts == .all)
        let production = try ServerConfiguration.fromEnvironment(["PARLEY_ENV": "production"])
        #expect(production.tenantEndpointHosts == .none)
        let listed = try ServerConfiguration.fromEnvironment([
            "PARLEY_ENV": "production", "PARLEY_PROVIDER_PRIVATE_HOSTS": " Ollama.internal., [::1] ,10.0.0.7",
        ])
        #expect(listed.tenantEndpointHosts.allows("ollama.internal"))
        #expect(listed.tenantEndpointHosts.allows("[::1]") && listed.tenantEndpointHosts.allows("::1"))
        #expect(listed.tenantEndpointHosts.allows("10.0.0.7"))
        #expect(!listed.tenantEndpointHosts.allows("10.0.0.8") && !listed.tenantEndpointHosts.allowsAll)
        let all = try ServerConfiguration.fromEnvironment([
            "PARLEY_ENV": "production", "PARLEY_PROVIDER_PRIVATE_HOSTS": "*",
        ])
        #expect(all.tenantEndpointHosts == .all)
        let none = try ServerConfiguration.fromEnvironment(["PARLEY_PROVIDER_PRIVATE_HOSTS": ""])
        #expect(none.tenantEndpointHosts == .none)
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyAI
import ParleyKnowledge
import ParleyServer
import Synchronization
import Testing

/// Each tenant chooses the model that embeds its knowledge: the server's, none, or its own endpoint.
@Suite("Embedder per tenant")
struct TenantEmbedderTests {
    /// A fake OpenAI-style `/v1/embeddings` on loopback that records the bearer keys it is sent: each text becomes an
    /// 8-dimensional bag of hashed words, so texts that share words point the same way.
    static func withEndpoint(_ body: @escaping @Sendable (Int, KeyLog) async throws -> Void) async throws {
        let keys = KeyLog()
        let router = Router()
        router.post("/v1/embeddings") { request, _ -> Response in
            keys.seen.withLock { $0.append(request.headers[.authorization] ?? "") }
            let json = try JSONSerialization.jsonObject(
                with: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            let inputs = (json as? [String: Any])?["input"] as? [String] ?? []
            let data = inputs.enumerated().map { index, text -> [String: Any] in
                var vector = [Double](repeating: 0.01, count: 8)
                for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) where word.count > 3 {
                    vector[Int(word.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }) % 8] += 1
                }
                return ["object": "embedding", "index": index, "embedding": vector]
            }
            let reply = try JSONSerialization.data(withJSONObject: ["object": "list", "data": data])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: reply)))
        }
        // An internal service's error page, which must never be shown back through the API.
        router.post("/leaky/v1/embeddings") { _, _ -> Response in
            Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "internal-secret-body")))
        }
        try await Application(router: router).test(.live) { client in
            try await body(try #require(client.port), keys)
        }
    }

    /// The authorization headers the fake endpoint was sent, in order.
    final class KeyLog: Sendable {
        let seen = Mutex<[String]>([])
    }

    static func provider(port: Int, dimensions: Int = 8, key: String? = "tenant-secret-key-4711") -> [String: Any] {
        var body: [String: Any] = [
            "source": "provider", "kind": "openai_compatible", "base_url": "http://127.0.0.1:\(port)/v1",
            "model": "tenant-embed", "dimensions": dimensions,
        ]
        if let key { body["api_key"] = key }
        return body
    }

    @Test("a tenant's own endpoint is checked, saved without showing its key, and embeds that tenant's knowledge only")
    func ownEndpoint() async throws {
        try await Self.withEndpoint { port, keys in
            try await Harness.run { harness in
                let admin = try await harness.demoAdmin()
                let other = try await harness.newTenant("Other")
                for (token, question) in [
                    (admin, "How long does shipping take?"), (other.token, "How long does shipping take to Oslo?"),
                ] {
                    let faq = try await harness.call(
                        .post, "/api/knowledge/faq",
                        json: ["question": question, "answer": "Parcels arrive within three working days."],
                        token: token)
                    #expect(faq.status == .created, "\(faq.text)")
                }
                // The test server has no model of its own: everyone starts lexical.
                let before = try await harness.call(.get, "/api/knowledge/embedder", token: admin)
                #expect(before["source"].string == "server" && before["search"].string == "lexical", "\(before.text)")
                #expect(before["chunks"].int ?? 0 >= 1 && before["embedded"].int == 0)

                let saved = try await harness.call(
                    .put, "/api/knowledge/embedder", json: Self.provider(port: port), token: admin)
                #expect(saved.status == .ok, "\(saved.text)")
                // Vectors are recorded under the model, its size and its endpoint.
                #expect(saved["source"].string == "provider", "\(saved.text)")
                #expect(saved["model"].string?.hasPrefix("tenant-embed@8/") == true, "\(saved.text)")
                #expect(saved["provider"]["model"].string == "tenant-embed")
                #expect(saved["provider"]["has_api_key"].bool == true)
                #expect(!saved.text.contains("tenant-secret-key-4711"), "the key is never sent back")
                #expect(keys.seen.withLock { $0 }.last == "Bearer tenant-secret-key-4711", "the endpoint was checked")

                // The background re-embedding brings every chunk to the tenant's model.
                var progress = saved
                let deadline = ContinuousClock.now + .seconds(30)
                while progress["embedded"].int != progress["chunks"].int, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    progress = try await harness.call(.get, "/api/knowledge/embedder", token: admin)
                }
                #expect(progress["embedded"].int == progress["chunks"].int, "\(progress.text)")

                let found = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": "shipping takes how long"], token: admin)
                #expect(found["mode"].string == "hybrid", "\(found.text)")
                #expect(found["passages"][0]["found_by"].array.compactMap(\.string).contains("semantic"))
                let calls = keys.seen.withLock { $0.count }

                // The other tenant keeps the server's choice: lexical, and nothing sent to this tenant's endpoint.
                let theirs = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": "shipping takes how long"], token: other.token)
                #expect(theirs["mode"].string == "lexical", "\(theirs.text)")
                let theirView = try await harness.call(.get, "/api/knowledge/embedder", token: other.token)
                #expect(theirView["source"].string == "server" && theirView["provider"].isNull)
                #expect(keys.seen.withLock { $0.count } == calls)

                // Saving again without a key keeps the sealed one; `none` turns semantic search off.
                let again = try await harness.call(
                    .put, "/api/knowledge/embedder", json: Self.provider(port: port, key: nil), token: admin)
                #expect(again["provider"]["has_api_key"].bool == true, "\(again.text)")
                let none = try await harness.call(
                    .put, "/api/knowledge/embedder", json: ["source": "none"], token: admin)
                #expect(none["search"].string == "lexical" && none["embedded"].int == 0, "\(none.text)")
                let lexical = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": "shipping takes how long"], token: admin)
                #expect(lexical["mode"].string == "lexical")
            }
        }
    }

    @Test("a wrong endpoint, size or field is refused with a reason and changes nothing; roles are enforced")
    func refusals() async throws {
        try await Self.withEndpoint { port, _ in
            try await Harness.run { harness in
                let admin = try await harness.demoAdmin()
                let cases: [(body: [String: Any], code: String, words: String)] = [
                    (["source": "cloud"], "validation_failed", "source must be"),
                    (["source": "provider", "kind": "openai"], "validation_failed", "needs kind, base_url"),
                    (Self.provider(port: port, dimensions: 0), "validation_failed", "dimensions must be"),
                    (
                        Self.provider(port: port).merging(["base_url": "ftp://x"]) { $1 }, "validation_failed",
                        "base_url"
                    ),
                    (Self.provider(port: port, dimensions: 16), "embedder_unavailable", "16"),
                    (Self.provider(port: 1), "embedder_unavailable", "no connection"),
                    (
                        Self.provider(port: port).merging(["base_url": "http://127.0.0.1:\(port)/leaky"]) { $1 },
                        "embedder_unavailable", "HTTP 500"
                    ),
                ]
                for (body, code, words) in cases {
                    let reply = try await harness.call(.put, "/api/knowledge/embedder", json: body, token: admin)
                    #expect(reply.status == .unprocessableContent, "\(body): \(reply.text)")
                    #expect(reply.errorCode == code, "\(body): \(reply.text)")
                    #expect(reply.text.contains(words), "\(body): \(reply.text)")
                    #expect(!reply.text.contains("internal-secret-body"), "the endpoint's reply is never shown")
                }
                let unchanged = try await harness.call(.get, "/api/knowledge/embedder", token: admin)
                #expect(unchanged["source"].string == "server", "\(unchanged.text)")
                let notJSON = try await harness.call(
                    .put, "/api/knowledge/embedder", raw: Array("{".utf8), token: admin)
                #expect(notJSON.status == .badRequest && notJSON.errorCode != nil)

                let invited = try await harness.call(
                    .post, "/api/users", json: ["email": "ann@demo.test", "role": "analyst"], token: admin)
                let analyst = try await harness.login(
                    "ann@demo.test", try #require(invited["one_time_password"].string))
                #expect(try await harness.call(.get, "/api/knowledge/embedder", token: analyst).status == .ok)
                let refused = try await harness.call(
                    .put, "/api/knowledge/embedder", json: ["source": "none"], token: analyst)
                #expect(refused.status == .forbidden)
                #expect(try await harness.call(.get, "/api/knowledge/embedder").status == .unauthorized)
            }
        }
    }

    @Test("when the tenant's endpoint goes away, search falls back to the words instead of failing")
    func endpointDown() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            _ = try await harness.call(
                .post, "/api/knowledge/faq",
                json: ["question": "Can I return a mug?", "answer": "Returns are free for thirty days."], token: admin)
            try await Self.withEndpoint { port, _ in
                let saved = try await harness.call(
                    .put, "/api/knowledge/embedder", json: Self.provider(port: port), token: admin)
                #expect(saved.status == .ok, "\(saved.text)")
            }
            // The endpoint has stopped: the question's embedding fails, and full-text search answers alone.
            let found = try await harness.call(
                .post, "/api/knowledge/search", json: ["query": "return a mug"], token: admin)
            #expect(found.status == .ok, "\(found.text)")
            #expect(found["mode"].string == "lexical", "\(found.text)")
            #expect(found["passages"][0]["title"].string == "Can I return a mug?")
            // New knowledge needs its vectors: refused with 503 and a time to retry, not a 500.
            let added = try await harness.call(
                .post, "/api/knowledge/faq",
                json: ["question": "Do you ship abroad?", "answer": "We ship to the whole of Europe."], token: admin)
            #expect(added.status == .serviceUnavailable, "\(added.text)")
            #expect(added.errorCode == "provider_unavailable")
            #expect(added.headers[.retryAfter] != nil)
        }
    }

    /// An embedder that never answers in time (it waits a minute, unless cancelled).
    struct HungEmbedder: EmbeddingProvider {
        let model = "hung"
        let dimensions = 8

        func embed(_ texts: [String]) async throws -> [[Float]] {
            try await Task.sleep(for: .seconds(60))
            return texts.map { _ in [Float](repeating: 1, count: dimensions) }
        }
    }

    @Test("a question whose embedding hangs is answered from full text once the deadline passes")
    func hungEmbedder() async throws {
        try await Harness.run { harness in
            let tenant = harness.seed.demoTenantID
            _ = try await KnowledgeIngestor(store: harness.store.knowledge, embedder: nil).ingest(
                .init(
                    content: .faq(question: "Can I return a mug?", answer: "Returns are free for thirty days."),
                    sourceKey: "mug", title: "Can I return a mug?"),
                tenant: tenant)
            let started = ContinuousClock.now
            let found = try await HybridSearch(store: harness.store.knowledge, embedder: HungEmbedder())
                .search("return a mug", tenant: tenant, limit: 3)
            #expect(found.mode == "lexical")
            #expect(found.passages.first?.title == "Can I return a mug?")
            // The embedder would take a minute; the search gives up on it after its deadline.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyServer
import Synchronization
import Testing

/// Knowledge search with a remote OpenAI-style embeddings endpoint instead of the built-in model.
@Suite("Remote embeddings")
struct RemoteEmbeddingsTests {
    /// A fake `/v1/embeddings` on loopback: each text becomes an 8-dimensional bag of hashed words, so texts that
    /// share words point the same way, and every request is counted.
    static func withFakeEmbeddings(_ body: @escaping @Sendable (Int, Counter) async throws -> Void) async throws {
        let counter = Counter()
        let router = Router()
        router.post("/v1/embeddings") { request, _ -> Response in
            counter.value.withLock { $0 += 1 }
            let json = try JSONSerialization.jsonObject(
                with: Data(buffer: try await request.body.collect(upTo: 1 << 20)))
            let inputs = (json as? [String: Any])?["input"] as? [String] ?? []
            let data = inputs.enumerated().map { index, text -> [String: Any] in
                var vector = [Double](repeating: 0, count: 8)
                for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) where word.count > 3 {
                    vector[Int(word.unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0xFFFF }) % 8] += 1
                }
                return ["object": "embedding", "index": index, "embedding": vector]
            }
            let reply = try JSONSerialization.data(withJSONObject: [
                "object": "list", "data": data, "model": "fake-embed",
            ])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: reply)))
        }
        try await Application(router: router).test(.live) { client in
            try await body(try #require(client.port), counter)
        }
    }

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    @Test("documents and queries are embedded remotely; search finds by meaning as well as by words")
    func search() async throws {
        try await Self.withFakeEmbeddings { port, counter in
            var configuration = Harness.configuration()
            configuration.remoteEmbeddings = .init(
                baseURL: "http://127.0.0.1:\(port)/v1", model: "fake-embed", dimensions: 8, apiKey: "k")
            try await Harness.run(configuration) { harness in
                let admin = try await harness.demoAdmin()
                let faq = try await harness.call(
                    .post, "/api/knowledge/faq",
                    json: ["question": "How long does shipping take?", "answer": "Shipping takes three days."],
                    token: admin)
                #expect(faq.status == .created)
                #expect(faq["document"]["embedding_model"].string == "fake-embed")
                let found = try await harness.call(
                    .post, "/api/knowledge/search", json: ["query": "shipping takes how long"], token: admin)
                #expect(found["mode"].string == "hybrid")
                let foundBy = found["passages"][0]["found_by"].array.compactMap(\.string)
                #expect(foundBy.contains("semantic"), "\(found.text)")
                #expect(counter.value.withLock { $0 } >= 2, "the document and the query were embedded remotely")
            }
        }
    }
}

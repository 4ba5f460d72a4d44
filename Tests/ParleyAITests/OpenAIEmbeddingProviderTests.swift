import Foundation
import Testing

@testable import ParleyAI

/// Embeddings from an OpenAI-style server on loopback, in the real wire format: batches, order by index,
/// normalisation, and errors.
@Suite("OpenAI embeddings")
struct OpenAIEmbeddingProviderTests {
    /// An `/embeddings` response as OpenAI sends it, with the items in the given order.
    static func reply(_ items: [(index: Int, vector: [Float])]) -> FakeReply {
        let data = items.map { item in
            #"{"object":"embedding","index":\#(item.index),"embedding":[\#(item.vector.map { "\($0)" }.joined(separator: ","))]}"#
        }
        let body =
            #"{"object":"list","data":[\#(data.joined(separator: ","))],"model":"text-embedding-3-small","#
            + #""usage":{"prompt_tokens":8,"total_tokens":8}}"#
        return FakeReply(headers: [("Content-Type", "application/json")], steps: [.send(body)])
    }

    @Test("texts go in batches; vectors come back in the texts' order, normalised, whatever order the server uses")
    func batchesAndOrder() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                Self.reply([(1, [0, 2, 0]), (0, [3, 0, 4])]),
                Self.reply([(0, [0, 0, 5])]))
            let embedder = OpenAIEmbeddingProvider(
                endpoint: try .openAICompatible(
                    baseURL: server.baseURL + "/v1", apiKey: testAPIKey, operation: "embeddings"),
                model: "text-embedding-3-small", dimensions: 3, httpClient: client, batchSize: 2)
            let vectors = try await embedder.embed(["first", "second", "third"])
            #expect(vectors == [[0.6, 0, 0.8], [0, 1, 0], [0, 0, 1]])
            let requests = server.received
            #expect(requests.count == 2)
            #expect(requests[0].uri == "/v1/embeddings")
            #expect(requests[0].header("Authorization") == "Bearer \(testAPIKey)")
            let first = try #require(
                try JSONSerialization.jsonObject(with: Data(requests[0].body.utf8)) as? [String: Any])
            #expect(first["model"] as? String == "text-embedding-3-small")
            #expect(first["input"] as? [String] == ["first", "second"])
            #expect(requests[1].body.contains(#""input":["third"]"#))
        }
    }

    @Test("server errors, wrong dimensions and missing vectors are provider errors; the key never shows")
    func failures() async throws {
        try await withFakeServer { server, client in
            let endpoint = try ChatEndpoint.openAICompatible(
                baseURL: server.baseURL, apiKey: testAPIKey, operation: "embeddings")
            let embedder = OpenAIEmbeddingProvider(
                endpoint: endpoint, model: "m", dimensions: 3, httpClient: client)
            server.enqueue(
                FakeReply(
                    status: 401, headers: [("Content-Type", "application/json")],
                    steps: [.send(#"{"error":{"message":"Incorrect API key provided: \#(testAPIKey)"}}"#)]))
            do {
                _ = try await embedder.embed(["x"])
                Issue.record("a 401 must fail")
            } catch let error as ProviderError {
                guard case .http(status: 401, _, let excerpt) = error else {
                    Issue.record("not an HTTP 401: \(error)")
                    return
                }
                #expect(!excerpt.contains(testAPIKey), "\(excerpt)")
            }
            server.enqueue(Self.reply([(0, [1, 2])]))
            await #expect(throws: ProviderError.malformedResponse("an embedding has 2 dimensions, not 3")) {
                try await embedder.embed(["x"])
            }
            server.enqueue(Self.reply([(0, [1, 2, 3])]))
            await #expect(
                throws: ProviderError.malformedResponse("the embeddings response has fewer vectors than texts")
            ) {
                try await embedder.embed(["x", "y"])
            }
            #expect(server.received.map(\.uri).allSatisfy { $0 == "/v1/embeddings" })
        }
    }

    @Test("Azure deployments and base URLs with or without the version reach the embeddings path")
    func urls() throws {
        #expect(
            try ChatEndpoint.openAICompatible(
                baseURL: "http://localhost:11434", apiKey: nil, operation: "embeddings"
            ).url == "http://localhost:11434/v1/embeddings")
        #expect(
            try ChatEndpoint.azureOpenAI(
                endpoint: "https://r.openai.azure.com", deployment: "emb", apiKey: "k", operation: "embeddings"
            ).url == "https://r.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21")
    }
}

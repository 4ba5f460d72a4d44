import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Embeddings from an OpenAI-style `/embeddings` endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, TEI, LiteLLM.
///
/// Texts go in batches of at most `batchSize`; the vectors come back in the order of the texts (the server's
/// `index` says where each belongs), L2-normalised so that a dot product is their cosine, and all of
/// `dimensions` elements. Failures are ``ProviderError``s, as for chat; the key is never logged.
public struct OpenAIEmbeddingProvider: EmbeddingProvider {
    public let model: String
    public let dimensions: Int
    private let endpoint: ChatEndpoint
    private let httpClient: any HTTPClientSource
    private let batchSize: Int
    private let timeout: Duration

    /// The largest response accepted.
    static let maximumResponseBytes = 64 << 20

    /// Makes a provider for `model`, whose vectors have `dimensions` elements (384 for all-MiniLM-L6-v2, 1536 for
    /// text-embedding-3-small).
    public init(
        endpoint: ChatEndpoint, model: String, dimensions: Int, httpClient: any HTTPClientSource = HTTPClient.shared,
        batchSize: Int = 128,
        timeout: Duration = .seconds(30)
    ) {
        self.endpoint = endpoint
        self.model = model
        self.dimensions = dimensions
        self.httpClient = httpClient
        self.batchSize = max(1, batchSize)
        self.timeout = timeout
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            vectors += try await embedBatch(batch)
            start += batch.count
        }
        return vectors
    }

    private struct RequestBody: Encodable {
        var model: String
        var input: [String]
        var encodingFormat = "float"

        enum CodingKeys: String, CodingKey {
            case model, input
            case encodingFormat = "encoding_format"
        }
    }

    private struct ResponseBody: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }

        var data: [Item]
    }

    /// One batch, answered whole within the timeout: the client's own deadline ends at the response head, so an
    /// endpoint that trickles its body in would otherwise hold ingestion.
    private func embedBatch(_ texts: [String]) async throws -> [[Float]] {
        try await TimeLimit.run(within: timeout, onTimeout: ProviderError.deadlineExceeded(timeout)) { [self] in
            try await exchange(texts)
        }
    }

    private func exchange(_ texts: [String]) async throws -> [[Float]] {
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for header in endpoint.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(RequestBody(model: model, input: texts))))
        let response: HTTPClientResponse
        do {
            let client = try await httpClient.client(for: endpoint.url)
            response = try await client.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw ProviderError(wrapping: error)
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch is NIOTooManyBytesError {
            throw ProviderError.malformedResponse("embeddings response larger than 64 MiB")
        } catch {
            throw ProviderError(wrapping: error)
        }
        guard (200..<300).contains(response.status.code) else {
            let excerpt = ErrorExcerpt.make(from: Array(body.readableBytesView), secret: endpoint.secret)
            let retryAfter = RetryAfter.parse(response.headers)
            if response.status.code == 429 {
                throw ProviderError.rateLimited(retryAfter: retryAfter, bodyExcerpt: excerpt)
            }
            throw ProviderError.http(status: Int(response.status.code), retryAfter: retryAfter, bodyExcerpt: excerpt)
        }
        guard let decoded = try? JSONDecoder().decode(ResponseBody.self, from: Data(body.readableBytesView)) else {
            throw ProviderError.malformedResponse("the embeddings response is not the expected JSON")
        }
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        for item in decoded.data {
            guard vectors.indices.contains(item.index), vectors[item.index] == nil else {
                throw ProviderError.malformedResponse("embedding index \(item.index) is out of place")
            }
            guard item.embedding.count == dimensions else {
                throw ProviderError.malformedResponse(
                    "an embedding has \(item.embedding.count) dimensions, not \(dimensions)")
            }
            vectors[item.index] = Self.normalised(item.embedding)
        }
        guard vectors.allSatisfy({ $0 != nil }) else {
            throw ProviderError.malformedResponse("the embeddings response has fewer vectors than texts")
        }
        return vectors.map { $0! }
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}

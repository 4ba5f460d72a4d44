import Foundation

/// The reference vectors and token ids written by `scripts/embedder/make-reference.py`.
struct ReferenceFixture: Decodable {
    /// A tokenizer case: the slow (Python `BasicTokenizer`) and fast (tokenizers) ids.
    struct TokenizerCase: Decodable {
        let text: String
        let ids: [Int]
        let fastIDs: [Int]
        let agree: Bool

        enum CodingKeys: String, CodingKey {
            case text
            case ids
            case fastIDs = "fast_ids"
            case agree
        }
    }

    /// A sentence and its sentence-transformers vector.
    struct Embedding: Decodable {
        let text: String
        let tokens: Int
        let vector: [Float]
    }

    let tokenizer: [TokenizerCase]
    let embeddings: [Embedding]

    /// The fixture, loaded once.
    static let shared: ReferenceFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/minilm-reference.json")
        return try! JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }()
}

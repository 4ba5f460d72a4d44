/// Sentence vectors in microseconds: the mean of a static table's token vectors (``StaticEmbeddingTable``).
///
/// The tokens are those of the encoder the table was distilled from. Far cheaper than the encoder itself (a table lookup per token, against six transformer layers), and close to it
/// in meaning: it is what the intent stage reads beside n-grams, where every message must be classified within a
/// millisecond. Its vectors are its own model's (``model``), never mixed with the encoder's.
public final class StaticEmbedder: EmbeddingProvider {
    public let model: String
    public let dimensions: Int
    private let tokenizer: BertTokenizer
    private let table: StaticEmbeddingTable

    /// The fingerprint of the model its table was distilled from (``StaticEmbeddingDistiller/fingerprint(of:)``).
    public var fingerprint: String { table.fingerprint }

    /// The longest text read, in word pieces; the rest of a longer text is left out.
    public static let maximumPieces = 512

    init(model: String, tokenizer: BertTokenizer, table: StaticEmbeddingTable) {
        self.model = model
        self.tokenizer = tokenizer
        self.table = table
        dimensions = table.dimensions
    }

    /// An embedder over a vocabulary of one's own (`[CLS]`, `[SEP]` and `[UNK]` among its tokens) and a vector per
    /// token, all of one length: for tests and small models.
    public convenience init(model: String, vocabulary: [String], vectors: [[Float]]) throws {
        guard let dimensions = vectors.first?.count, dimensions > 0, vectors.count == vocabulary.count,
            vectors.allSatisfy({ $0.count == dimensions })
        else {
            throw EmbedderError.invalidVocabulary(path: "", reason: "one vector of one length per token is needed")
        }
        let ids = Dictionary(vocabulary.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { _, last in last })
        self.init(
            model: model, tokenizer: try BertTokenizer(vocabulary: ids, maximumLength: Self.maximumPieces),
            table: StaticEmbeddingTable(vectors: vectors.flatMap { $0 }, dimensions: dimensions, fingerprint: model))
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(embed)
    }

    /// The unit vector of `text` (zeros when it has no word pieces), on the calling thread.
    public func embed(_ text: String) -> [Float] {
        let ids = tokenizer.pieces(text, limit: Self.maximumPieces).filter { $0 != tokenizer.wordPiece.unknownID }
        let mean = table.mean(of: ids)
        var squared: Float = 0
        for value in mean { squared += value * value }
        guard squared > 0, squared.isFinite else { return mean }
        let scale = 1 / squared.squareRoot()
        return mean.map { $0 * scale }
    }
}

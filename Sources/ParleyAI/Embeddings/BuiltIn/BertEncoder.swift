/// The BERT encoder with sentence-transformers' head: token, position and type embeddings, the transformer layers,
/// mean pooling over the tokens and L2 normalisation.
///
/// Sequences are packed end to end without padding: every product over tokens runs on all of them at once, and
/// attention runs per sequence, so no work is spent on padding and no attention mask is needed.
struct BertEncoder: Sendable {
    /// The sizes the weights were checked against.
    let configuration: BertConfiguration
    private let wordEmbeddings: FloatBuffer
    private let positionEmbeddings: FloatBuffer
    private let tokenTypeEmbedding: FloatBuffer
    private let embeddingNormGamma: FloatBuffer
    private let embeddingNormBeta: FloatBuffer
    private let layers: [TransformerLayer]

    /// Loads the encoder's weights from `tensors`, with or without a `bert.` prefix on the names.
    init(tensors: SafeTensors, configuration: BertConfiguration) throws {
        let prefix =
            tensors.tensors["embeddings.word_embeddings.weight"] == nil
                && tensors.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let hidden = configuration.hiddenSize
        func load(_ name: String, _ shape: [Int]) throws -> [Float] {
            try tensors.floats(prefix + name, shape: shape)
        }
        self.configuration = configuration
        wordEmbeddings = FloatBuffer(
            try load("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden]))
        positionEmbeddings = FloatBuffer(
            try load("embeddings.position_embeddings.weight", [configuration.maximumPositions, hidden]))
        let types = try load("embeddings.token_type_embeddings.weight", [configuration.tokenTypes, hidden])
        tokenTypeEmbedding = FloatBuffer(Array(types.prefix(hidden)))
        embeddingNormGamma = FloatBuffer(try load("embeddings.LayerNorm.weight", [hidden]))
        embeddingNormBeta = FloatBuffer(try load("embeddings.LayerNorm.bias", [hidden]))
        layers = try (0..<configuration.layers).map {
            try TransformerLayer(
                tensors: tensors, prefix: "\(prefix)encoder.layer.\($0).", configuration: configuration)
        }
    }

    /// Encodes token sequences (each framed by `[CLS]`/`[SEP]`, ids below the vocabulary size, no longer than the
    /// position table) into sentence vectors: the mean of the last layer's token states, scaled to unit length unless
    /// `normalized` is false.
    func encode(_ sequences: [[Int32]], normalized: Bool = true) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        let hidden = configuration.hiddenSize
        let workspace = EncoderWorkspace(lengths: sequences.map(\.count), configuration: configuration)
        let x = workspace.hidden.pointer
        for (sequence, (offset, _)) in zip(sequences, workspace.sequences) {
            for (position, id) in sequence.enumerated() {
                let row = x + (offset + position) * hidden
                let word = wordEmbeddings.pointer + Int(id) * hidden
                let place = positionEmbeddings.pointer + position * hidden
                let type = tokenTypeEmbedding.pointer
                for column in 0..<hidden {
                    row[column] = word[column] + type[column] + place[column]
                }
            }
        }
        VectorKernels.layerNorm(
            x, into: x, rows: workspace.tokens, width: hidden, gamma: embeddingNormGamma.pointer,
            beta: embeddingNormBeta.pointer, epsilon: configuration.layerNormEpsilon)
        for layer in layers {
            layer.forward(workspace)
        }
        return workspace.sequences.map { offset, length in
            Self.meanPooled(x + offset * hidden, rows: length, width: hidden, unitLength: normalized)
        }
    }

    /// The mean of `rows` rows, scaled to unit length when `unitLength` (a zero vector stays zero, as in
    /// `F.normalize`).
    static func meanPooled(_ rows: UnsafePointer<Float>, rows count: Int, width: Int, unitLength: Bool) -> [Float] {
        var sum = [Float](repeating: 0, count: width)
        for row in 0..<count {
            let values = rows + row * width
            for column in 0..<width {
                sum[column] += values[column]
            }
        }
        var norm: Float = 0
        for column in 0..<width {
            sum[column] /= Float(max(count, 1))
            norm += sum[column] * sum[column]
        }
        guard unitLength else { return sum }
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        return sum.map { $0 * scale }
    }
}

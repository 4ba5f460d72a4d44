/// One BERT encoder layer: multi-head self-attention and a GELU feed-forward block, each followed by a residual
/// sum and layer normalisation (post-norm).
///
/// The query, key and value projections are fused into one `3·hidden × hidden` product, and the attention scale
/// `1/√headSize` is folded into the query weights when loading.
struct TransformerLayer: Sendable {
    private let configuration: BertConfiguration
    private let queryKeyValueWeight: FloatBuffer
    private let queryKeyValueBias: FloatBuffer
    private let attentionOutputWeight: FloatBuffer
    private let attentionOutputBias: FloatBuffer
    private let attentionNormGamma: FloatBuffer
    private let attentionNormBeta: FloatBuffer
    private let intermediateWeight: FloatBuffer
    private let intermediateBias: FloatBuffer
    private let outputWeight: FloatBuffer
    private let outputBias: FloatBuffer
    private let outputNormGamma: FloatBuffer
    private let outputNormBeta: FloatBuffer

    /// Loads layer `prefix` (such as `encoder.layer.0.`) from `tensors`, checking every shape.
    init(tensors: SafeTensors, prefix: String, configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        func load(_ name: String, _ shape: [Int]) throws -> [Float] {
            try tensors.floats(prefix + name, shape: shape)
        }
        let scale = 1 / Float(configuration.headSize).squareRoot()
        let query = try load("attention.self.query.weight", [hidden, hidden]).map { $0 * scale }
        let queryBias = try load("attention.self.query.bias", [hidden]).map { $0 * scale }
        let key = try load("attention.self.key.weight", [hidden, hidden])
        let keyBias = try load("attention.self.key.bias", [hidden])
        let value = try load("attention.self.value.weight", [hidden, hidden])
        let valueBias = try load("attention.self.value.bias", [hidden])
        self.configuration = configuration
        queryKeyValueWeight = FloatBuffer(query + key + value)
        queryKeyValueBias = FloatBuffer(queryBias + keyBias + valueBias)
        attentionOutputWeight = FloatBuffer(try load("attention.output.dense.weight", [hidden, hidden]))
        attentionOutputBias = FloatBuffer(try load("attention.output.dense.bias", [hidden]))
        attentionNormGamma = FloatBuffer(try load("attention.output.LayerNorm.weight", [hidden]))
        attentionNormBeta = FloatBuffer(try load("attention.output.LayerNorm.bias", [hidden]))
        intermediateWeight = FloatBuffer(try load("intermediate.dense.weight", [inner, hidden]))
        intermediateBias = FloatBuffer(try load("intermediate.dense.bias", [inner]))
        outputWeight = FloatBuffer(try load("output.dense.weight", [hidden, inner]))
        outputBias = FloatBuffer(try load("output.dense.bias", [hidden]))
        outputNormGamma = FloatBuffer(try load("output.LayerNorm.weight", [hidden]))
        outputNormBeta = FloatBuffer(try load("output.LayerNorm.bias", [hidden]))
    }

    /// Runs the layer on `workspace.hidden` in place.
    func forward(_ workspace: EncoderWorkspace) {
        let rows = workspace.tokens
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        let x = workspace.hidden.pointer

        // Queries, keys and values: qkv = x · Wᵀ + b.
        Self.fillRows(workspace.queryKeyValue.pointer, rows: rows, with: queryKeyValueBias.pointer, width: 3 * hidden)
        BLAS.multiplyTransposed(
            m: rows, n: 3 * hidden, k: hidden, x, lda: hidden, queryKeyValueWeight.pointer, ldb: hidden,
            beta: 1, into: workspace.queryKeyValue.pointer, ldc: 3 * hidden)

        SelfAttention.attend(workspace, configuration: configuration)

        // Attention projection, residual, normalisation.
        Self.addRows(workspace.residual.pointer, from: x, rows: rows, bias: attentionOutputBias.pointer, width: hidden)
        BLAS.multiplyTransposed(
            m: rows, n: hidden, k: hidden, workspace.context.pointer, lda: hidden, attentionOutputWeight.pointer,
            ldb: hidden, beta: 1, into: workspace.residual.pointer, ldc: hidden)
        VectorKernels.layerNorm(
            workspace.residual.pointer, into: x, rows: rows, width: hidden, gamma: attentionNormGamma.pointer,
            beta: attentionNormBeta.pointer, epsilon: configuration.layerNormEpsilon)

        // Feed-forward: GELU(x · W1ᵀ + b1) · W2ᵀ + b2, residual, normalisation.
        let activations = workspace.intermediate.pointer
        Self.fillRows(activations, rows: rows, with: intermediateBias.pointer, width: inner)
        BLAS.multiplyTransposed(
            m: rows, n: inner, k: hidden, x, lda: hidden, intermediateWeight.pointer, ldb: hidden,
            beta: 1, into: activations, ldc: inner)
        VectorKernels.gelu(activations, count: rows * inner)
        Self.addRows(workspace.residual.pointer, from: x, rows: rows, bias: outputBias.pointer, width: hidden)
        BLAS.multiplyTransposed(
            m: rows, n: hidden, k: inner, activations, lda: inner, outputWeight.pointer, ldb: inner,
            beta: 1, into: workspace.residual.pointer, ldc: hidden)
        VectorKernels.layerNorm(
            workspace.residual.pointer, into: x, rows: rows, width: hidden, gamma: outputNormGamma.pointer,
            beta: outputNormBeta.pointer, epsilon: configuration.layerNormEpsilon)
    }

    /// Copies `row` into each of `rows` rows of `width` elements.
    static func fillRows(_ target: UnsafeMutablePointer<Float>, rows: Int, with row: UnsafePointer<Float>, width: Int) {
        for index in 0..<rows {
            (target + index * width).update(from: row, count: width)
        }
    }

    /// Writes `source + bias` (the bias broadcast over rows) into `target`.
    static func addRows(
        _ target: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, rows: Int,
        bias: UnsafePointer<Float>, width: Int
    ) {
        for row in 0..<rows {
            let out = target + row * width
            let input = source + row * width
            for column in 0..<width {
                out[column] = input[column] + bias[column]
            }
        }
    }
}

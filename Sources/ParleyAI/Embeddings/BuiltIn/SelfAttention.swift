/// Multi-head scaled dot-product attention over packed sequences, each sequence attending only to itself.
///
/// Reads the fused query/key/value rows (queries already scaled by `1/√headSize`) and writes every head's output
/// side by side into the context rows. Short sequences use direct SIMD loops, which beat the per-call overhead of
/// two tiny BLAS products per head; long ones use BLAS.
enum SelfAttention {
    /// Sequences up to this length take the direct path.
    static let directLengthLimit = 64

    /// Fills `workspace.context` from `workspace.queryKeyValue` for every sequence and head.
    static func attend(_ workspace: EncoderWorkspace, configuration: BertConfiguration) {
        let hidden = configuration.hiddenSize
        let headSize = configuration.headSize
        let stride = 3 * hidden
        let scores = workspace.scores.pointer
        let direct = headSize % VectorKernels.Vector.scalarCount == 0
        for (offset, length) in workspace.sequences {
            let base = workspace.queryKeyValue.pointer + offset * stride
            for head in 0..<configuration.attentionHeads {
                let query = base + head * headSize
                let key = query + hidden
                let value = query + 2 * hidden
                let output = workspace.context.pointer + offset * hidden + head * headSize
                if direct && length <= directLengthLimit {
                    directScores(query, key, length: length, headSize: headSize, stride: stride, into: scores)
                    VectorKernels.softmaxRows(scores, rows: length, width: length, stride: length)
                    directWeightedSum(
                        scores, value, length: length, headSize: headSize, stride: stride, into: output,
                        outputStride: hidden)
                } else {
                    BLAS.multiplyTransposed(
                        m: length, n: length, k: headSize, query, lda: stride, key, ldb: stride,
                        beta: 0, into: scores, ldc: length)
                    VectorKernels.softmaxRows(scores, rows: length, width: length, stride: length)
                    BLAS.multiply(
                        m: length, n: headSize, k: length, scores, lda: length, value, ldb: stride, beta: 0,
                        into: output, ldc: hidden)
                }
            }
        }
    }

    /// `scores[i][j] = query_i · key_j` for one head.
    private static func directScores(
        _ query: UnsafePointer<Float>, _ key: UnsafePointer<Float>, length: Int, headSize: Int, stride: Int,
        into scores: UnsafeMutablePointer<Float>
    ) {
        let width = VectorKernels.Vector.scalarCount
        for i in 0..<length {
            let q = query + i * stride
            for j in 0..<length {
                let k = key + j * stride
                var sum = VectorKernels.Vector.zero
                var column = 0
                while column < headSize {
                    sum += VectorKernels.load(q + column) * VectorKernels.load(k + column)
                    column += width
                }
                scores[i * length + j] = sum.sum()
            }
        }
    }

    /// `output_i = Σ_j weights[i][j] · value_j` for one head.
    private static func directWeightedSum(
        _ weights: UnsafePointer<Float>, _ value: UnsafePointer<Float>, length: Int, headSize: Int, stride: Int,
        into output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        let width = VectorKernels.Vector.scalarCount
        for i in 0..<length {
            let out = output + i * outputStride
            var column = 0
            while column < headSize {
                var sum = VectorKernels.Vector.zero
                for j in 0..<length {
                    sum += weights[i * length + j] * VectorKernels.load(value + j * stride + column)
                }
                VectorKernels.store(sum, out + column)
                column += width
            }
        }
    }
}

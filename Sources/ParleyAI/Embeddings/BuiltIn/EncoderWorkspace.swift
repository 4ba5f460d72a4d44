/// The scratch memory of one forward pass over a group of sequences packed end to end (no padding).
///
/// A workspace belongs to one call on one thread; nothing in it is shared.
struct EncoderWorkspace {
    /// Where each sequence starts in the packed rows, and its length.
    let sequences: [(offset: Int, length: Int)]
    /// Total packed rows (tokens).
    let tokens: Int
    /// The hidden states, `tokens × hidden`.
    let hidden: FloatBuffer
    /// Queries, keys and values side by side, `tokens × 3·hidden`.
    let queryKeyValue: FloatBuffer
    /// Attention output before its projection, `tokens × hidden`.
    let context: FloatBuffer
    /// A residual sum before layer normalisation, `tokens × hidden`.
    let residual: FloatBuffer
    /// The feed-forward activations, `tokens × intermediate`.
    let intermediate: FloatBuffer
    /// One head's attention scores, `longest × longest`.
    let scores: FloatBuffer

    /// Allocates the buffers for sequences of the given lengths.
    init(lengths: [Int], configuration: BertConfiguration) {
        var offset = 0
        var sequences: [(offset: Int, length: Int)] = []
        for length in lengths {
            sequences.append((offset, length))
            offset += length
        }
        let longest = lengths.max() ?? 0
        let width = configuration.hiddenSize
        self.sequences = sequences
        self.tokens = offset
        self.hidden = FloatBuffer(count: offset * width)
        self.queryKeyValue = FloatBuffer(count: offset * 3 * width)
        self.context = FloatBuffer(count: offset * width)
        self.residual = FloatBuffer(count: offset * width)
        self.intermediate = FloatBuffer(count: offset * configuration.intermediateSize)
        self.scores = FloatBuffer(count: longest * longest)
    }
}

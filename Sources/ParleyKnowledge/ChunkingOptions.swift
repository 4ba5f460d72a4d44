/// How large chunks may grow and how much consecutive chunks of a section overlap, in estimated tokens.
///
/// Token counts are estimates (see ``Chunker`` for the approximation). The defaults keep a chunk well inside the
/// 256-token window of small sentence embedders such as all-MiniLM-L6-v2.
public struct ChunkingOptions: Sendable, Equatable {
    /// The most estimated tokens in one chunk (at least 1).
    public var maxTokens: Int
    /// The most estimated tokens of whole sentences repeated from the end of one chunk at the start of the next
    /// chunk of the same section (0 for no overlap; always less than `maxTokens`).
    public var overlapTokens: Int

    /// Creates options; `maxTokens` is raised to at least 1 and `overlapTokens` kept within `0..<maxTokens`.
    public init(maxTokens: Int = 180, overlapTokens: Int = 30) {
        let maxTokens = max(1, maxTokens)
        self.maxTokens = maxTokens
        self.overlapTokens = min(max(0, overlapTokens), maxTokens - 1)
    }
}

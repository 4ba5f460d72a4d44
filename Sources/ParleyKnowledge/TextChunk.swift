/// A piece of a document small enough to embed and index on its own.
public struct TextChunk: Sendable, Equatable {
    /// The chunk's text, a verbatim run of the source (newlines kept; line endings normalised to `\n`).
    public var text: String
    /// The Markdown headings above the chunk, outermost first (empty for plain text and FAQ entries).
    public var headingPath: [String]
    /// The chunk's 0-based position among its document's chunks.
    public var position: Int

    /// Creates a chunk.
    public init(text: String, headingPath: [String], position: Int) {
        self.text = text
        self.headingPath = headingPath
        self.position = position
    }
}

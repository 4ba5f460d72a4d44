import Foundation

/// A retrieved piece of knowledge: one chunk of a document, with where it came from and how it was found.
///
/// Passages are what retrieval hands to an answerer (extractive or generative) and what citations point back to.
/// They carry no behaviour, so they can live in the core module and cross any boundary.
public struct Passage: Sendable, Equatable, Codable {
    /// The stable identifier of the chunk the text was taken from.
    public var chunkID: String
    /// The identifier of the document the chunk belongs to.
    public var documentID: String
    /// The document's title.
    public var title: String
    /// The headings above the chunk, outermost first (empty for text without headings).
    public var headingPath: [String]
    /// A link to the source document, when it has one.
    public var url: String?
    /// The chunk's text, verbatim.
    public var text: String
    /// The retrieval score (higher is better); its scale depends on how the passage was ranked.
    public var score: Double
    /// The retrievers that returned this passage, such as `"lexical"` and `"semantic"`.
    public var foundBy: [String]

    /// Creates a passage.
    public init(
        chunkID: String,
        documentID: String,
        title: String,
        headingPath: [String] = [],
        url: String? = nil,
        text: String,
        score: Double,
        foundBy: [String] = []
    ) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.title = title
        self.headingPath = headingPath
        self.url = url
        self.text = text
        self.score = score
        self.foundBy = foundBy
    }

    enum CodingKeys: String, CodingKey {
        case title, url, text, score
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case headingPath = "heading_path"
        case foundBy = "found_by"
    }
}

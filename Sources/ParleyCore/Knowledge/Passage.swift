/// A retrieved piece of knowledge as a turn sees it: the text, where it came from, and how it was found.
public struct Passage: Sendable, Equatable, Codable {
    public var chunkID: String
    public var documentID: String
    public var title: String
    public var headingPath: [String]
    public var url: String?
    public var text: String
    /// The fused retrieval score; higher is better.
    public var score: Double
    /// Which retrievers found it: `lexical`, `semantic`.
    public var foundBy: [String]

    /// Makes a passage.
    public init(
        chunkID: String, documentID: String, title: String, headingPath: [String], url: String?, text: String,
        score: Double, foundBy: [String]
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
}

/// A searchable piece of a knowledge document, with what a citation needs.
public struct KnowledgeChunk: Sendable, Equatable {
    /// Unique across the store.
    public var id: String
    public var tenantID: TenantID
    public var documentID: KnowledgeDocumentID
    /// Order within the document, from 0.
    public var position: Int
    /// The document's title.
    public var title: String
    /// The headings the chunk sits under, outermost first.
    public var headingPath: [String]
    public var url: String?
    public var text: String
    /// The unit-length embedding of `text`, when an embedder was configured.
    public var embedding: [Float]?

    /// Makes a chunk.
    public init(
        id: String, tenantID: TenantID, documentID: KnowledgeDocumentID, position: Int, title: String,
        headingPath: [String], url: String?, text: String, embedding: [Float]?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.documentID = documentID
        self.position = position
        self.title = title
        self.headingPath = headingPath
        self.url = url
        self.text = text
        self.embedding = embedding
    }
}

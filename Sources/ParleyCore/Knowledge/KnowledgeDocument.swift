import Foundation

/// Identifies one document of a tenant's knowledge base.
public typealias KnowledgeDocumentID = Identifier<KnowledgeDocument>

/// One source of a tenant's knowledge: an FAQ entry, a text, Markdown or HTML document, a web page.
///
/// A document is known by its `sourceKey` (the FAQ question, a file name, a URL). Storing content under a key that
/// already holds the same content changes nothing; different content becomes the next version and replaces the
/// previous one in search atomically.
public struct KnowledgeDocument: Sendable, Codable, Equatable {
    public var id: KnowledgeDocumentID
    public var tenantID: TenantID
    /// What the content was: `faq`, `text`, `markdown`, `html`.
    public var kind: String
    /// What identifies the source across versions.
    public var sourceKey: String
    public var title: String
    /// Where a citation links to, when the source has an address.
    public var url: String?
    /// SHA-256 of the content, hex.
    public var contentHash: String
    /// 1 for the first content stored under the key, then one more for each change.
    public var version: Int
    public var chunkCount: Int
    /// The embedding model of the chunks' vectors, or nil when only lexical search covers them.
    public var embeddingModel: String?
    /// The content's language (ISO 639-1), detected at ingestion; nil when it was not clear.
    public var language: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Makes a document record.
    public init(
        id: KnowledgeDocumentID, tenantID: TenantID, kind: String, sourceKey: String, title: String, url: String?,
        contentHash: String, version: Int, chunkCount: Int, embeddingModel: String?, language: String? = nil,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.sourceKey = sourceKey
        self.title = title
        self.url = url
        self.contentHash = contentHash
        self.version = version
        self.chunkCount = chunkCount
        self.embeddingModel = embeddingModel
        self.language = language
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

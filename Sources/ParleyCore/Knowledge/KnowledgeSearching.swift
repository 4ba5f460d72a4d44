/// Searches a tenant's knowledge base; the retrieval stage reaches it through `StageServices`.
public protocol KnowledgeSearching: Sendable {
    /// The best passages for `query`, best first, with a calibrated confidence in the best one.
    ///
    /// `language` is the asker's language (ISO 639-1) when known: full-text search reads the query in it.
    func search(_ query: String, language: String?, tenant: TenantID, limit: Int) async throws
        -> KnowledgeSearchResult
}

extension KnowledgeSearching {
    /// The best passages for `query`, its language unknown.
    public func search(_ query: String, tenant: TenantID, limit: Int) async throws -> KnowledgeSearchResult {
        try await search(query, language: nil, tenant: tenant, limit: limit)
    }
}

/// Passages found for a query, and how confident retrieval is that the best one answers it (0…1).
public struct KnowledgeSearchResult: Sendable, Equatable {
    public var passages: [Passage]
    public var confidence: Double
    /// How the search ran: `lexical`, `semantic` or `hybrid`; nil when the searcher does not say.
    public var mode: String?

    /// Makes a result.
    public init(passages: [Passage], confidence: Double, mode: String? = nil) {
        self.passages = passages
        self.confidence = confidence
        self.mode = mode
    }

    /// Nothing found.
    public static let empty = KnowledgeSearchResult(passages: [], confidence: 0)
}

/// The stage-services key under which the chain finds the tenant's knowledge search.
public enum KnowledgeSearchKey: StageServiceKey {
    public typealias Value = any KnowledgeSearching
}

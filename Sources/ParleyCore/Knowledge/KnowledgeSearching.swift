/// Searches a tenant's knowledge base; the retrieval stage reaches it through `StageServices`.
public protocol KnowledgeSearching: Sendable {
    /// The best passages for `query`, best first, with a calibrated confidence in the best one.
    func search(_ query: String, tenant: TenantID, limit: Int) async throws -> KnowledgeSearchResult
}

/// Passages found for a query, and how confident retrieval is that the best one answers it (0…1).
public struct KnowledgeSearchResult: Sendable, Equatable {
    public var passages: [Passage]
    public var confidence: Double

    /// Makes a result.
    public init(passages: [Passage], confidence: Double) {
        self.passages = passages
        self.confidence = confidence
    }

    /// Nothing found.
    public static let empty = KnowledgeSearchResult(passages: [], confidence: 0)
}

/// The stage-services key under which the chain finds the tenant's knowledge search.
public enum KnowledgeSearchKey: StageServiceKey {
    public typealias Value = any KnowledgeSearching
}

/// Which retrievers a search uses.
public enum RetrievalMode: String, Sendable, CaseIterable {
    /// The database's full-text search only.
    case lexical
    /// The embedding index only.
    case semantic
    /// Both, their scores fused (see `RankFusion`).
    case hybrid
}

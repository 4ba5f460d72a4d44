/// One query of a BEIR dataset (`queries.jsonl`).
public struct BEIRQuery: Sendable, Equatable {
    /// The query's identifier (`_id`).
    public var id: String
    /// The query's text (`text`).
    public var text: String

    /// Creates a query.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

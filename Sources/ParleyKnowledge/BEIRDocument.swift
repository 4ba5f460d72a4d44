/// One document of a BEIR corpus (`corpus.jsonl`).
public struct BEIRDocument: Sendable, Equatable {
    /// The document's identifier (`_id`).
    public var id: String
    /// The document's title (`title`; empty when absent).
    public var title: String
    /// The document's text (`text`).
    public var text: String

    /// Creates a document.
    public init(id: String, title: String, text: String) {
        self.id = id
        self.title = title
        self.text = text
    }
}

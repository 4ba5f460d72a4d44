import ParleyCore

/// What the extractive answerer found: sentences quoted from the knowledge base, or nothing it can stand behind.
public enum ExtractiveAnswer: Sendable, Equatable {
    /// Sentences quoted verbatim from the passages, and the passages they came from, in order.
    case answer(text: String, citations: [Citation])
    /// Retrieval was not confident enough, or there was nothing to quote.
    case unknown
}

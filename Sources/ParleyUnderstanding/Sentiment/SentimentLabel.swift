/// A three-way sentiment class.
public enum SentimentLabel: String, Sendable, Codable, CaseIterable {
    case negative
    case neutral
    case positive
}

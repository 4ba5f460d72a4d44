/// Where a text came from, which decides how strictly instructions inside it are treated.
public enum TextSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// A message typed by the customer.
    case userMessage
    /// A retrieved document (knowledge base, web page, e-mail, ticket history).
    case retrievedDocument
    /// The output of a tool or API call.
    case toolOutput
    /// Persisted memory or a conversation summary.
    case memory

    /// True for text the model reads but no user wrote directly.
    public var isIndirect: Bool { self != .userMessage }
}

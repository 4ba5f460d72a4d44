/// The outcome of redacting one text.
public struct RedactionResult: Sendable, Hashable {
    /// The text with PII rewritten.
    public let text: String
    /// What was found, with offsets into the original text.
    public let spans: [PIISpan]
    /// Placeholders issued in `.placeholder` mode, for `restore(_:)`.
    public let placeholders: PlaceholderMap
}

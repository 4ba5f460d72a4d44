/// What the output guard made of a reply: the text the visitor may see, and why it was changed or blocked.
public struct OutputVerdict: Sendable, Equatable {
    /// The reply with model-produced personal data redacted (what was released so far, when blocked mid-stream).
    public var text: String
    /// The types of personal data redacted, in order of first appearance, each once.
    public var redacted: [PIIType]
    /// Why the reply must not be shown, or nil when it may.
    public var blockReason: String?

    /// Makes a verdict.
    public init(text: String, redacted: [PIIType] = [], blockReason: String? = nil) {
        self.text = text
        self.redacted = redacted
        self.blockReason = blockReason
    }
}

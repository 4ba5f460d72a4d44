/// The verdict of `ModerationClassifier` on one text.
public struct ModerationAssessment: Sendable, Hashable {
    /// The highest severity found.
    public let severity: ModerationSeverity
    /// The categories found.
    public let categories: Set<ModerationCategory>
    /// The lexicon terms or rule identifiers that matched, in folded form.
    public let matches: [String]

    /// True when the text should be held back or escalated (medium severity or worse).
    public var isFlagged: Bool { severity >= .medium }
}

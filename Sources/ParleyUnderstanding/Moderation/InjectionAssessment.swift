/// The verdict of `InjectionDetector` on one text.
public struct InjectionAssessment: Sendable, Hashable {
    /// True if the text should be treated as a prompt-injection or jailbreak attempt.
    public let isInjection: Bool
    /// Summed evidence weight; 1.0 or more flags the text.
    public let score: Double
    /// Categories of the rules that fired.
    public let categories: Set<InjectionCategory>
    /// Identifiers of the rules that fired, with the view they fired on.
    ///
    /// A rule that fired on a decoded payload carries the encoding: `override.ignore-prior@base64`.
    public let evidence: [String]
}

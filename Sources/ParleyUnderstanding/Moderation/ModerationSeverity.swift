/// How serious abusive content is, ordered from `none` to `high`.
public enum ModerationSeverity: Int, Sendable, Hashable, Comparable, CaseIterable, Codable {
    /// Nothing abusive found.
    case none = 0
    /// Mild profanity or a general insult not aimed at anyone ("this app sucks", "damn").
    case low = 1
    /// Strong profanity, or an insult aimed at the reader ("you are an idiot").
    case medium = 2
    /// Threats, slurs, or incitement to self-harm.
    case high = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// One step more severe, capped at `high`.
    var raised: ModerationSeverity { ModerationSeverity(rawValue: min(rawValue + 1, 3)) ?? .high }
}

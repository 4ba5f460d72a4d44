/// The kinds of abuse the moderation classifier reports.
public enum ModerationCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Swearing and vulgar words.
    case profanity
    /// Insults and harassment, especially when aimed at the reader.
    case harassment
    /// Threats of violence and incitement to self-harm.
    case threat
    /// Slurs against protected groups.
    case hate
}

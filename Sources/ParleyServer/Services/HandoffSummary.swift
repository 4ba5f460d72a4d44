import Foundation
import ParleyCore

/// The extractive summary an agent reads first when taking a conversation: why it came, what the visitor wants, how
/// they feel, and their latest words (as redacted for later stages).
enum HandoffSummary {
    /// Builds the summary from the turn that escalated.
    static func make(turn: Turn, escalation: Escalation) -> String {
        var parts = ["Reason: \(escalation.reason)."]
        if let skill = escalation.skill { parts.append("Skill: \(skill).") }
        parts.append("Priority: \(escalation.priority).")
        if let intent = turn.intent {
            parts.append("Intent: \(intent.name) (\(percent(intent.confidence)) confident).")
        }
        if let language = turn.language { parts.append("Language: \(language).") }
        if let sentiment = turn.sentiment {
            let trend = turn.sentimentTrend.map { ", trend \(rounded($0.value))" } ?? ""
            parts.append("Sentiment: \(rounded(sentiment))\(trend).")
        }
        if !turn.tags.isEmpty { parts.append("Tags: \(turn.tags.sorted().joined(separator: ", ")).") }
        parts.append("Bot failures before this message: \(turn.botFailures).")
        let latest = turn.text.count > 300 ? String(turn.text.prefix(300)) + "…" : turn.text
        parts.append("Message \(turn.messageCount): \"\(latest)\"")
        return parts.joined(separator: " ")
    }

    private static func rounded(_ value: Double) -> String { String(format: "%.2f", value) }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}

import Foundation
import ParleyCore

/// Hands the conversation to a human when the visitor asks for one, raises a sensitive topic, keeps asking the same
/// question, the bot keeps failing or the model providers failed, or the mood sours.
///
/// It also keeps the turn's `recentQuestions`, the visitor's last few questions in normalised form, which the
/// server stores with the conversation.
public struct EscalationStage: Stage {
    public static let manifest = StageManifest(
        id: "escalation",
        version: "1.0.0",
        description: "Queues the conversation for a human on request, on sensitive topics, repeated questions, "
            + "repeated bot failures, provider failures, or negative sentiment.",
        isBuiltIn: true
    )

    /// When to escalate, and what the visitor is told.
    public struct Settings: StageSettings {
        /// Phrases that mean "let me talk to a person", matched on word boundaries, case and accents ignored.
        public var humanRequestPhrases = [
            "human", "real person", "a person", "someone real", "agent", "representative", "operator",
            "customer service", "talk to someone", "speak to someone", "humano", "persona real", "agente",
            "un humain", "une personne", "conseiller", "mensch", "mitarbeiter", "menschen", "umano", "operatore",
        ]
        /// Escalate when this many bot failures in a row are reached, this turn included; 0 turns the rule off.
        public var maxBotFailures = 2
        /// Escalate when the sentiment score is at or below this value (when a sentiment stage has scored it).
        public var negativeSentimentAtOrBelow = -0.75
        /// Escalate when the conversation's running sentiment, over three messages or more, is at or below this
        /// value and the latest message made it worse.
        public var negativeTrendAtOrBelow = -0.4
        /// Escalate when the visitor asks the same question this many times again (the third ask by default), or
        /// once again after the bot failed to answer it; 0 turns the rule off.
        public var loopAfterRepeats = 2
        /// What the visitor is told while waiting.
        public var message = "I'm connecting you with a member of our team. Someone will be with you shortly."
        /// The priority given to escalations from this stage (0...3).
        public var priority = 1
        /// Topics a human must handle (for example "lawsuit", "chargeback"), matched like the request phrases.
        public var sensitiveTopics: [String] = []

        /// How many earlier questions a conversation remembers.
        public static let rememberedQuestions = 4

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            if maxBotFailures < 0 { problems.append("maxBotFailures must be 0 or more") }
            if !(-1...1).contains(negativeSentimentAtOrBelow) {
                problems.append("negativeSentimentAtOrBelow must be between -1 and 1")
            }
            if !(-1...1).contains(negativeTrendAtOrBelow) {
                problems.append("negativeTrendAtOrBelow must be between -1 and 1")
            }
            if !(0...Self.rememberedQuestions).contains(loopAfterRepeats) {
                problems.append("loopAfterRepeats must be between 0 and \(Self.rememberedQuestions)")
            }
            if !(0...3).contains(priority) { problems.append("priority must be between 0 and 3") }
            if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("message must not be empty")
            }
            if humanRequestPhrases.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append("humanRequestPhrases must not contain empty phrases")
            }
            if sensitiveTopics.count > 200
                || sensitiveTopics.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 100 }
                )
            {
                problems.append("sensitiveTopics takes at most 200 non-empty topics of at most 100 characters")
            }
            return problems
        }
    }

    private let settings: Settings
    private let phrases: [[Substring]]
    private let topics: [[Substring]]

    public init(settings: Settings) {
        self.settings = settings
        self.phrases = settings.humanRequestPhrases.map { Self.words($0) }
        self.topics = settings.sensitiveTopics.map { Self.words($0) }
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let words = Self.words(turn.text)
        let earlier = turn.recentQuestions
        let question = words.joined(separator: " ")
        if !question.isEmpty {
            turn.recentQuestions = Array((earlier + [question]).suffix(Settings.rememberedQuestions))
        }
        if let phrase = Self.firstMatch(of: phrases, in: words) {
            return escalate(priority: settings.priority + 1, reason: "visitor asked for a human (\"\(phrase)\")")
        }
        if let topic = Self.firstMatch(of: topics, in: words) {
            return escalate(priority: settings.priority + 1, reason: "sensitive topic (\"\(topic)\")")
        }
        if turn.botFailed, case .string(let failure) = turn.extensions["provider_failure"] {
            return escalate(priority: settings.priority, reason: "the model providers failed (\(failure))")
        }
        let failures = turn.botFailures + (turn.botFailed ? 1 : 0)
        if settings.maxBotFailures > 0, turn.botFailed, failures >= settings.maxBotFailures {
            let lowRetrieval = turn.retrievalConfidence.map { " (retrieval confidence \(($0 * 100).rounded() / 100))" }
            return escalate(
                priority: settings.priority, reason: "bot failed \(failures) times in a row" + (lowRetrieval ?? ""))
        }
        if settings.loopAfterRepeats > 0, !words.isEmpty {
            let repeats = earlier.filter { Self.isSameQuestion(words, Self.words($0)) }.count
            if repeats >= settings.loopAfterRepeats || (repeats > 0 && turn.botFailures > 0) {
                return escalate(
                    priority: settings.priority, reason: "the visitor repeated the same question (\(repeats + 1) times)"
                )
            }
        }
        if let sentiment = turn.sentiment, sentiment <= settings.negativeSentimentAtOrBelow {
            return escalate(priority: settings.priority + 1, reason: "very negative sentiment (\(sentiment))")
        }
        if let trend = turn.sentimentTrend, trend.count >= 3, trend.delta < 0,
            trend.value <= settings.negativeTrendAtOrBelow
        {
            let value = (trend.value * 100).rounded() / 100
            return escalate(
                priority: settings.priority,
                reason: "sentiment trending negative (\(value) over \(trend.count) messages)")
        }
        return .continue
    }

    /// Whether two questions are the same: at least 80 % of their distinct words shared (Jaccard).
    static func isSameQuestion(_ first: [Substring], _ second: [Substring]) -> Bool {
        let a = Set(first)
        let b = Set(second)
        guard !a.isEmpty, !b.isEmpty else { return false }
        return Double(a.intersection(b).count) / Double(a.union(b).count) >= 0.8
    }

    private func escalate(priority: Int, reason: String) -> Outcome {
        .escalate(Escalation(priority: min(priority, 3), reason: reason, message: settings.message))
    }

    /// The first of `phrases` that occurs in `words` as a whole-word sequence.
    private static func firstMatch(of phrases: [[Substring]], in words: [Substring]) -> String? {
        guard !words.isEmpty else { return nil }
        for phrase in phrases where !phrase.isEmpty && phrase.count <= words.count {
            for start in 0...(words.count - phrase.count)
            where words[start..<(start + phrase.count)].elementsEqual(phrase) {
                return phrase.joined(separator: " ")
            }
        }
        return nil
    }

    /// Splits text into lowercased, accent-free words.
    private static func words(_ text: String) -> [Substring] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
            .split { !$0.isLetter && !$0.isNumber }
    }
}

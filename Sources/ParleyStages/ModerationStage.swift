import ParleyCore
import ParleyUnderstanding

/// Screens the visitor's message for prompt injection and abuse, and blocks, flags or escalates as the tenant chose.
public struct ModerationStage: Stage {
    public static let manifest = StageManifest(
        id: "moderation",
        version: "1.0.0",
        description: "Detects prompt injection, jailbreaks, abuse and harassment; blocks, flags or escalates.",
        placement: Placement(before: ["fallback", "escalation"]),
        isBuiltIn: true
    )

    /// What to do about injection attempts and abuse.
    public struct Settings: StageSettings {
        /// `block`, `flag` or `escalate` for prompt-injection and jailbreak attempts.
        public var injectionAction = "block"
        /// `block`, `flag` or `escalate` for abuse at or above `abuseSeverity`.
        public var abuseAction = "flag"
        /// The lowest abuse severity acted on: `low`, `medium` or `high`.
        public var abuseSeverity = "medium"
        /// The answer when a message is blocked.
        public var blockMessage = "Sorry, I can't help with that request."

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            for (name, value) in [("injectionAction", injectionAction), ("abuseAction", abuseAction)]
            where Action(rawValue: value) == nil {
                problems.append("\(name) must be block, flag or escalate")
            }
            if Self.severity(abuseSeverity) == nil { problems.append("abuseSeverity must be low, medium or high") }
            if blockMessage.isEmpty { problems.append("blockMessage must not be empty") }
            return problems
        }

        static func severity(_ name: String) -> ModerationSeverity? {
            ["low": .low, "medium": .medium, "high": .high][name]
        }
    }

    /// What the stage does with a finding.
    enum Action: String {
        case block, flag, escalate
    }

    private let settings: Settings
    private let injection = InjectionDetector()
    private let abuse = ModerationClassifier()

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let injectionFinding = injection.assess(turn.text, source: .userMessage)
        if injectionFinding.isInjection {
            let kinds = injectionFinding.categories.map { "\($0)" }.sorted().joined(separator: ", ")
            return act(
                Action(rawValue: settings.injectionAction) ?? .block, tag: "prompt_injection",
                reason: "prompt injection (\(kinds))", turn: &turn)
        }
        let abuseFinding = abuse.assess(turn.text)
        if let threshold = Settings.severity(settings.abuseSeverity), abuseFinding.severity >= threshold {
            return act(
                Action(rawValue: settings.abuseAction) ?? .flag, tag: "abuse",
                reason: "abuse, severity \(abuseFinding.severity)", turn: &turn)
        }
        return .continue
    }

    private func act(_ action: Action, tag: String, reason: String, turn: inout Turn) -> Outcome {
        turn.tags.insert(tag)
        switch action {
        case .block: return .block(settings.blockMessage, reason: reason)
        case .escalate: return .escalate(Escalation(priority: 2, reason: reason))
        case .flag: return .continue(because: "flagged: \(reason)")
        }
    }
}

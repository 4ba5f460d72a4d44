import ParleyCore

/// Drafts the tenant's fallback answer, offering a human, when no earlier stage has drafted one.
///
/// It marks the turn as a bot failure, so the escalation stage can hand over after repeated misses.
public struct FallbackStage: Stage {
    public static let manifest = StageManifest(
        id: "fallback",
        version: "1.0.0",
        description: "Answers with the tenant's fallback text and offers a human when nothing else answered.",
        placement: Placement(before: ["escalation"]),
        isBuiltIn: true
    )

    /// The fallback answer.
    public struct Settings: StageSettings {
        /// The answer; empty means the tenant's configured fallback text.
        public var text = ""
        /// A quick reply that asks for a person (the escalation stage hands over on it); empty offers none.
        public var humanOption = "Talk to a person"

        public init() {}

        public func validate() -> [String] {
            (text.count > 2_000 ? ["text must be at most 2000 characters"] : [])
                + (humanOption.count > 60 ? ["humanOption must be at most 60 characters"] : [])
        }
    }

    private let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard turn.draftReply == nil else { return .continue(because: "an answer was already drafted") }
        turn.draftReply = settings.text.isEmpty ? context.tenant.fallbackText : settings.text
        turn.botFailed = true
        if !settings.humanOption.isEmpty { turn.quickReplies = [settings.humanOption] }
        return .continue(because: "no answer found; drafted the fallback text")
    }
}

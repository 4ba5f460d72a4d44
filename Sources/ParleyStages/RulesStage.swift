import ParleyCore
import ParleyRules

/// Runs the tenant's Lua `on_message` rules: they may escalate, reply, block, tag the conversation or set attributes.
///
/// A rule error or a broken limit never blocks the visitor's reply: it is noted in the trace and the chain goes on.
public struct RulesStage: Stage {
    public static let manifest = StageManifest(
        id: "rules",
        version: "1.0.0",
        description: "Runs the tenant's sandboxed Lua rules (on_message): escalate, reply, block, tag, set attributes.",
        placement: Placement(after: ["moderation", "pii-redaction", "language", "sentiment"]),
        isBuiltIn: true
    )

    /// Whether the view the rules saw is stored with the turn.
    public struct Settings: StageSettings {
        /// Store the rules' input with the turn, so that `parley rules replay` can re-run it exactly.
        public var recordInput = true

        public init() {}

        public func validate() -> [String] { [] }
    }

    private let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard let book = context.services[RuleBookKey.self], !(book.rules.isEmpty && book.shadows.isEmpty) else {
            return .continue(because: "no rules")
        }
        let view = TurnView.json(of: turn)
        if settings.recordInput { turn.ruleInput = view }
        let result = book.engine.runMessageRules(
            book.rules, shadows: book.shadows, view: view, tenant: book.tenant, limits: book.limits)
        turn.tags.formUnion(result.tags)
        turn.attributeUpdates.merge(result.attributes) { _, new in new }
        if !result.shadows.isEmpty, let record = book.recordShadows {
            await record(result.shadows, turn)
        }
        let notes = result.runs.flatMap(Self.notes)
        guard let deciding = result.deciding, let action = deciding.decision?.action else {
            let failures = result.runs.filter { $0.failure != nil }.count
            let summary = "\(result.runs.count) rule\(result.runs.count == 1 ? "" : "s"), no decision"
            return Outcome(.continue, reason: failures == 0 ? summary : "\(summary), \(failures) failed", notes: notes)
        }
        switch action {
        case .escalate(let escalation):
            return Outcome(
                .escalate(escalation), reason: Self.reason("escalated", deciding, detail: escalation.reason),
                notes: notes)
        case .reply(let text):
            return Outcome(.reply(text), reason: Self.reason("replied", deciding, detail: nil), notes: notes)
        case .block(let reason):
            return Outcome(
                .block("I'm sorry, I can't help with that message."),
                reason: Self.reason("blocked", deciding, detail: reason), notes: notes)
        }
    }

    /// `escalated by rules/NAME.lua:12 (reason)`, leaving out a reason that only repeats the location.
    private static func reason(_ verb: String, _ run: RuleRun<MessageDecision>, detail: String?) -> String {
        let base = "\(verb) by \(run.location)"
        guard let detail, !detail.hasPrefix("escalated by ") else { return base }
        return "\(base) (\(detail))"
    }

    /// The trace lines of one rule: its log, then its decision or failure with the line.
    private static func notes(_ run: RuleRun<MessageDecision>) -> [String] {
        var notes = run.log.map { "\(run.chunk) log: \($0)" }
        switch run.result {
        case .success(nil): notes.append("\(run.location): no decision (\(run.durationMicros) µs)")
        case .success(let decision?):
            notes.append("\(run.location): \(decision.summary) (\(run.durationMicros) µs)")
        case .failure(let failure):
            notes.append("\(run.location): \(failure.kind.rawValue) — \(failure.message)")
        }
        return notes
    }
}

extension MessageDecision {
    /// A one-line summary for traces: `escalate billing p2; tag refund; set email`.
    fileprivate var summary: String {
        var parts: [String] = []
        switch action {
        case .escalate(let escalation):
            parts.append("escalate" + (escalation.skill.map { " \($0)" } ?? "") + " p\(escalation.priority)")
        case .reply: parts.append("reply")
        case .block: parts.append("block")
        case nil: break
        }
        if !tags.isEmpty { parts.append("tag " + tags.joined(separator: ",")) }
        if !attributes.isEmpty { parts.append("set " + attributes.keys.sorted().joined(separator: ",")) }
        return parts.joined(separator: "; ")
    }
}

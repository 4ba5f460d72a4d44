import Foundation
import ParleyCore
import ParleyUnderstanding

/// Checks the drafted reply before the visitor keeps it: redacts personal data the model produced, blocks
/// leaked instructions and, when the tenant asks, answers that stray from its knowledge.
///
/// A streamed reply is guarded as it flows: the generation stage sends it through this stage's guard (found
/// under `OutputGuardStage.Key`), so nothing unchecked reaches the visitor, and this stage then acts on the
/// verdict. A blocked reply is replaced by the tenant's safe message with the offer of a human, and the turn
/// counts as a bot failure. Every change is traced.
public struct OutputGuardStage: Stage {
    public static let manifest = StageManifest(
        id: "output-guard",
        version: "1.0.0",
        description: "Redacts personal data in replies, blocks leaked instructions and off-topic answers.",
        placement: Placement(after: ["generation"], before: ["fallback", "escalation"]),
        isBuiltIn: true
    )

    /// What the guard enforces, and what the visitor sees instead of a blocked reply.
    public struct Settings: StageSettings {
        /// Personal data types redacted from replies unless the passages contain the same value.
        public var redactTypes = PIIType.allCases.map(\.rawValue)
        /// Block replies that repeat the assistant's instructions.
        public var blockLeakage = true
        /// Block replies that cite nothing and share too few words with the passages, question and topics.
        public var blockOffTopic = false
        /// The least share of a reply's words found in the passages, the question or `allowedTopics`.
        public var minimumGrounding = 0.3
        /// Topics the assistant may talk about besides the passages.
        public var allowedTopics: [String] = []
        /// What the visitor sees instead of a blocked reply; it offers a human.
        public var message =
            "I'm sorry, I can't help with that here. Would you like me to connect you with a member of our team?"

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            for name in redactTypes where PIIType(rawValue: name) == nil {
                problems.append("unknown PII type '\(name)'")
            }
            if !(0...1).contains(minimumGrounding) { problems.append("minimumGrounding must be between 0 and 1") }
            if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || message.count > 2_000 {
                problems.append("message must be 1 to 2000 characters")
            }
            if allowedTopics.count > 200 { problems.append("allowedTopics takes at most 200 topics") }
            return problems
        }
    }

    /// The stage-services key under which the server hands this stage to the generation stage, for streaming.
    public enum Key: StageServiceKey {
        public typealias Value = OutputGuardStage
    }

    private let settings: Settings
    private let policy: OutputGuard.Policy
    private let detectors = LeakageDetectors()

    public init(settings: Settings) {
        self.settings = settings
        policy = OutputGuard.Policy(
            redactedTypes: Set(settings.redactTypes.compactMap(PIIType.init(rawValue:))),
            blocksLeakage: settings.blockLeakage, blocksOffTopic: settings.blockOffTopic,
            minimumGrounding: settings.minimumGrounding)
    }

    /// The guard for this turn's reply: `protected` is what the model was told and must not repeat.
    public func makeGuard(for turn: Turn, protected: [String]) -> OutputGuard {
        OutputGuard(
            policy: policy, leakage: detectors.detector(protecting: policy.blocksLeakage ? protected : []),
            grounding: turn.passages.flatMap { [$0.title, $0.text] } + [turn.text] + settings.allowedTopics)
    }

    /// A sink that guards a reply on its way to `downstream`.
    func sink(for turn: Turn, protected: [String], downstream: (any ReplySink)?) -> GuardedReplySink {
        GuardedReplySink(
            guard: makeGuard(for: turn, protected: protected), downstream: downstream,
            passageCount: turn.passages.count)
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard let draft = turn.draftReply else { return .continue(because: "no reply to check") }
        let outputGuard = makeGuard(for: turn, protected: [])
        var verdict: OutputVerdict
        if let streamed = StreamedVerdict(turn.extensions) {
            verdict = streamed.verdict(text: draft)
            if verdict.blockReason == nil {
                verdict.blockReason = outputGuard.offTopicReason(in: draft, cites: !turn.citations.isEmpty)
            }
        } else {
            verdict = outputGuard.check(draft, cites: !turn.citations.isEmpty)
        }
        StreamedVerdict.clear(&turn.extensions)
        if let reason = verdict.blockReason {
            turn.draftReply = settings.message
            turn.citations = []
            turn.botFailed = true
            turn.extensions["output_guard"] = ["blocked": .string(reason)]
            return .continue(because: "blocked the reply: \(reason)")
        }
        turn.draftReply = verdict.text
        guard !verdict.redacted.isEmpty else { return .continue(because: "the reply passed") }
        let types = verdict.redacted.map(\.rawValue)
        turn.extensions["output_guard"] = ["redacted": .array(types.map { .string($0) })]
        return .continue(because: "redacted \(types.joined(separator: ", ")) from the reply")
    }
}

/// The verdict of a reply guarded while it streamed, carried from the generation stage in the turn's extensions.
struct StreamedVerdict {
    var redacted: [PIIType]
    var blockReason: String?

    private static let key = "output_guard.streamed"

    init(_ verdict: OutputVerdict) {
        redacted = verdict.redacted
        blockReason = verdict.blockReason
    }

    init?(_ extensions: [String: JSONValue]) {
        guard case .object(let object)? = extensions[Self.key] else { return nil }
        if case .array(let types)? = object["redacted"] {
            redacted = types.compactMap { if case .string(let name) = $0 { PIIType(rawValue: name) } else { nil } }
        } else {
            redacted = []
        }
        if case .string(let reason)? = object["blocked"] { blockReason = reason }
    }

    func verdict(text: String) -> OutputVerdict {
        OutputVerdict(text: text, redacted: redacted, blockReason: blockReason)
    }

    func store(in extensions: inout [String: JSONValue]) {
        var object: [String: JSONValue] = ["redacted": .array(redacted.map { .string($0.rawValue) })]
        if let blockReason { object["blocked"] = .string(blockReason) }
        extensions[Self.key] = .object(object)
    }

    static func clear(_ extensions: inout [String: JSONValue]) {
        extensions[key] = nil
    }
}

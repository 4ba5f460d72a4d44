import Metrics
import ParleyCore
import ParleyUnderstanding
import Synchronization

/// Finds the knowledge passages that answer the visitor's message, with a calibrated confidence.
///
/// The tenant's hybrid search (full-text and semantic, fused) comes from the server through
/// `StageContext.services`; the stage puts the best passages and the confidence on the turn for the generation
/// and escalation stages and for the trace. Passages that read as instructions to the assistant (indirect prompt
/// injection: a document planted to steer the bot) are dropped before any prompt sees them, and the trace says so.
public struct RetrievalStage: Stage {
    public static let manifest = StageManifest(
        id: "retrieval",
        version: "1.1.0",
        description: "Finds the best knowledge passages for the message (full-text and semantic search, fused), "
            + "dropping passages that carry instructions to the assistant.",
        placement: Placement(after: ["pii-redaction"], before: ["generation", "fallback"]),
        isBuiltIn: true
    )

    /// How many passages to keep, and whether to screen them for injected instructions.
    public struct Settings: StageSettings {
        /// Passages handed to generation, best first.
        public var passages = 5
        /// Whether passages are checked as indirect text by the injection detector, and dropped when flagged.
        public var screenInjections = true

        public init() {}

        public func validate() -> [String] {
            (1...20).contains(passages) ? [] : ["passages must be between 1 and 20"]
        }
    }

    private let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard let knowledge = context.services[KnowledgeSearchKey.self] else {
            return .continue(because: "no knowledge search configured")
        }
        let result = try await knowledge.search(
            turn.text, language: turn.language, tenant: turn.tenantID, limit: settings.passages)
        var passages = result.passages
        var dropped: [Passage] = []
        if settings.screenInjections {
            dropped = passages.filter { PassageScreen.shared.isInjection($0.text) }
            passages.removeAll { passage in dropped.contains { $0.chunkID == passage.chunkID } }
            if !dropped.isEmpty {
                Counter(label: "parley_passages_dropped_total", dimensions: [("reason", "injection")])
                    .increment(by: dropped.count)
            }
        }
        turn.passages = passages
        let retrievalConfidence = passages.isEmpty ? 0 : result.confidence
        turn.retrievalConfidence = retrievalConfidence
        let screened =
            dropped.isEmpty
            ? ""
            : "; \(dropped.count) dropped as injected instructions (\(dropped.map(\.chunkID).joined(separator: ", ")))"
        guard let best = passages.first else { return .continue(because: "no passage matched" + screened) }
        let confidence = (retrievalConfidence * 100).rounded() / 100
        return .continue(
            because: "\(passages.count) passages, confidence \(confidence); best \"\(best.title)\" "
                + "(\(best.foundBy.joined(separator: "+")))" + screened)
    }
}

/// The injection detector's verdicts on retrieved text, remembered by the text's hash: a knowledge base's passages
/// come back turn after turn, and a verdict depends on the text alone.
final class PassageScreen: Sendable {
    static let shared = PassageScreen()

    private let detector = InjectionDetector()
    private let verdicts = Mutex<[UInt64: Bool]>([:])
    /// Verdicts kept before the memory starts over.
    static let capacity = 20_000

    /// Whether `text`, read as a retrieved document, carries instructions to the assistant.
    func isInjection(_ text: String) -> Bool {
        let key = FeatureHasher.hash(text, seed: 0x5C4E)
        if let known = verdicts.withLock({ $0[key] }) { return known }
        let verdict = detector.assess(text, source: .retrievedDocument).isInjection
        verdicts.withLock { verdicts in
            if verdicts.count >= Self.capacity { verdicts.removeAll(keepingCapacity: true) }
            verdicts[key] = verdict
        }
        return verdict
    }
}

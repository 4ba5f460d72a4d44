import Metrics
import ParleyCore

/// Finds the knowledge passages that answer the visitor's message, with a calibrated confidence.
///
/// The tenant's hybrid search (full-text and semantic, fused) comes from the server through
/// `StageContext.services`; the stage puts the best passages and the confidence on the turn for the generation
/// and escalation stages and for the trace. Passages that read as instructions to the assistant (indirect prompt
/// injection: a document planted to steer the bot) are dropped before any prompt sees them, and the trace says so:
/// the search is asked for ``spare`` more passages than kept, so a drop is backfilled, and when the best passage was
/// dropped the confidence is scaled down by the score of the best one left against it (a weaker passage now leads).
/// Spares are screened only as far as they are needed.
public struct RetrievalStage: Stage {
    public static let manifest = StageManifest(
        id: "retrieval",
        version: "1.1.1",
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

    /// Passages asked for beyond `Settings.passages`, to stand in for dropped ones.
    public static let spare = 2

    public init(settings: Settings) {
        self.settings = settings
    }

    /// How many passages to ask the search for: the ones kept, and spares for those the screen may drop.
    public var searchLimit: Int {
        settings.passages + (settings.screenInjections ? Self.spare : 0)
    }

    /// The passages handed on from a search's, best first: at most `Settings.passages`, screened for injected
    /// instructions when the settings say so; and the ones dropped.
    ///
    /// Agents' suggested replies use it too, so that they read the knowledge as the tenant's chain does; they pass
    /// `counting` false, so that `parley_passages_dropped_total` counts visitors' turns only.
    public func select(from found: [Passage], counting: Bool = true) -> (kept: [Passage], dropped: [Passage]) {
        var kept: [Passage] = []
        var dropped: [Passage] = []
        // Spares are screened only while a kept passage is still missing: the screen runs a classifier per passage.
        for passage in found where kept.count < settings.passages {
            if settings.screenInjections && PassageScreen.shared.isInjection(passage) {
                dropped.append(passage)
            } else {
                kept.append(passage)
            }
        }
        if counting, !dropped.isEmpty {
            Counter(label: "parley_passages_dropped_total", dimensions: [("reason", "injection")])
                .increment(by: dropped.count)
        }
        return (kept, dropped)
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        guard let knowledge = context.services[KnowledgeSearchKey.self] else {
            return .continue(because: "no knowledge search configured")
        }
        let result = try await knowledge.search(
            turn.text, language: turn.language, tenant: turn.tenantID, limit: searchLimit)
        let (passages, dropped) = select(from: result.passages)
        turn.passages = passages
        var retrievalConfidence = passages.isEmpty ? 0 : result.confidence
        if let best = passages.first, let formerBest = result.passages.first, formerBest.chunkID != best.chunkID,
            formerBest.score > 0
        {
            retrievalConfidence *= max(0, min(1, best.score / formerBest.score))
        }
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

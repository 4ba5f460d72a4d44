import ParleyCore

/// Finds the knowledge passages that answer the visitor's message, with a calibrated confidence.
///
/// The tenant's hybrid search (full-text and semantic, fused) comes from the server through
/// `StageContext.services`; the stage puts the best passages and the confidence on the turn for the generation
/// and escalation stages and for the trace.
public struct RetrievalStage: Stage {
    public static let manifest = StageManifest(
        id: "retrieval",
        version: "1.0.0",
        description: "Finds the best knowledge passages for the message (full-text and semantic search, fused).",
        placement: Placement(after: ["pii-redaction"], before: ["generation", "fallback"]),
        isBuiltIn: true
    )

    /// How many passages to keep.
    public struct Settings: StageSettings {
        /// Passages handed to generation, best first.
        public var passages = 5

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
        turn.passages = result.passages
        turn.retrievalConfidence = result.confidence
        guard let best = result.passages.first else { return .continue(because: "no passage matched") }
        let confidence = (result.confidence * 100).rounded() / 100
        return .continue(
            because: "\(result.passages.count) passages, confidence \(confidence); best \"\(best.title)\" "
                + "(\(best.foundBy.joined(separator: "+")))")
    }
}

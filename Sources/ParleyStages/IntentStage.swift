import ParleyAI
import ParleyCore
import ParleyUnderstanding

/// Predicts the tenant's intent with a calibrated confidence and extracts entities (order numbers, amounts, dates).
///
/// The tenant's trained classifier comes from the server through `StageContext.services`; without one (the tenant
/// defined no intents) the stage only extracts entities. A classifier trained with sentence embeddings reads the
/// message's static embedding (``EmbedderKey``: a table lookup per word piece, microseconds); when those embeddings
/// are not loaded, the stage classifies from n-grams alone and says so.
public struct IntentStage: Stage {
    public static let manifest = StageManifest(
        id: "intent",
        version: "1.0.0",
        description: "Predicts the tenant's intent (or out_of_scope below a threshold) and extracts entities.",
        placement: Placement(after: ["pii-redaction", "language"], before: ["rules"]),
        isBuiltIn: true
    )

    /// The key under which the server provides the tenant's trained classifier.
    public enum ClassifierKey: StageServiceKey {
        public typealias Value = IntentClassifier
    }

    /// The key under which the server provides the static embeddings its classifiers were trained with.
    public enum EmbedderKey: StageServiceKey {
        public typealias Value = StaticEmbedder
    }

    /// Threshold override and entity extraction.
    public struct Settings: StageSettings {
        /// Below this confidence the intent is `out_of_scope`; a negative value keeps the threshold saved with the
        /// tenant's intents.
        public var outOfScopeThreshold = -1.0
        /// Whether entities are extracted.
        public var extractEntities = true

        public init() {}

        public func validate() -> [String] {
            outOfScopeThreshold > 1 ? ["outOfScopeThreshold must be at most 1 (negative: the intents' own)"] : []
        }
    }

    private let settings: Settings
    private let extractor = EntityExtractor()

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        if settings.extractEntities {
            turn.entities = extractor.extract(turn.text).map { TurnEntity(type: $0.kind.ruleName, value: $0.value) }
        }
        guard let classifier = context.services[ClassifierKey.self] else {
            return .continue(because: "no intents defined; \(turn.entities.count) entities")
        }
        var embedding: [Float]?
        var reading = ""
        if let block = classifier.embedding {
            embedding = Self.embedding(of: turn.text, block: block, embedder: context.services[EmbedderKey.self])
            if embedding == nil { reading = " (n-grams only: no embedding from \(block.model))" }
        }
        let threshold =
            settings.outOfScopeThreshold >= 0 ? settings.outOfScopeThreshold : classifier.outOfScopeThreshold
        let prediction = classifier.predict(turn.text, embedding: embedding, threshold: threshold)
        turn.intent = IntentGuess(name: prediction.intent, confidence: prediction.confidence)
        let confidence = (prediction.confidence * 100).rounded() / 100
        let detail = prediction.isOutOfScope ? " (best \(prediction.bestIntent))" : ""
        return .continue(
            because: "\(prediction.intent) \(confidence)\(detail)\(reading); \(turn.entities.count) entities")
    }

    /// The message's vector from the classifier's embedding model, or nil when that model is not at hand.
    public static func embedding(of text: String, block: IntentEmbeddingBlock, embedder: StaticEmbedder?) -> [Float]? {
        guard let embedder, embedder.model == block.model, embedder.dimensions == block.dimensions else { return nil }
        return embedder.embed(text)
    }
}

extension Entity.Kind {
    /// The entity type's name in rule API v1: `email`, `order_number`, `money`, `date`.
    var ruleName: String {
        switch self {
        case .email: "email"
        case .orderNumber: "order_number"
        case .money: "money"
        case .date: "date"
        }
    }
}

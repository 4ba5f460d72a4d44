import ParleyCore
import ParleyUnderstanding

/// Predicts the tenant's intent with a calibrated confidence and extracts entities (order numbers, amounts, dates).
///
/// The tenant's trained classifier comes from the server through `StageContext.services`; without one (the tenant
/// defined no intents) the stage only extracts entities.
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
        let prediction =
            settings.outOfScopeThreshold >= 0
            ? classifier.predict(turn.text, threshold: settings.outOfScopeThreshold) : classifier.predict(turn.text)
        turn.intent = IntentGuess(name: prediction.intent, confidence: prediction.confidence)
        let confidence = (prediction.confidence * 100).rounded() / 100
        let detail = prediction.isOutOfScope ? " (best \(prediction.bestIntent))" : ""
        return .continue(because: "\(prediction.intent) \(confidence)\(detail); \(turn.entities.count) entities")
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

/// The result of classifying one message.
public struct IntentPrediction: Sendable, Codable, Hashable {
    /// The label returned when no intent is confident enough.
    public static let outOfScope = "out_of_scope"

    /// The predicted intent, or ``outOfScope`` when ``confidence`` is below the classifier's threshold
    /// (or when the best class is itself an out-of-scope class the tenant trained).
    public var intent: String
    /// The calibrated probability of the best in-model intent, in [0, 1].
    public var confidence: Double
    /// The best in-model intent even when ``intent`` is ``outOfScope``.
    public var bestIntent: String
    /// The highest-scoring intents with their probabilities, best first.
    public var alternatives: [Alternative]

    /// Whether the message was judged out of scope.
    public var isOutOfScope: Bool { intent == Self.outOfScope }

    /// An intent and its probability.
    public struct Alternative: Sendable, Codable, Hashable {
        /// The intent label.
        public var intent: String
        /// Its probability, in [0, 1].
        public var probability: Double

        /// Creates an alternative.
        public init(intent: String, probability: Double) {
            self.intent = intent
            self.probability = probability
        }
    }

    /// Creates a prediction.
    public init(intent: String, confidence: Double, bestIntent: String, alternatives: [Alternative]) {
        self.intent = intent
        self.confidence = confidence
        self.bestIntent = bestIntent
        self.alternatives = alternatives
    }
}

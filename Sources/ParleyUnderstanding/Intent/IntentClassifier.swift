/// A per-tenant intent classifier: trained in-process from example utterances, Codable for storage.
///
/// ```swift
/// let classifier = IntentClassifier.train(examples, options: IntentTrainingOptions(outOfScopeThreshold: 0.4))
/// let prediction = classifier.predict("where is my card?")
/// ```
public struct IntentClassifier: Sendable, Codable {
    /// The featurizer fitted on the training utterances.
    public let featurizer: IntentFeaturizer
    /// The softmax model.
    public let model: IntentModel
    /// Below this probability the prediction is ``IntentPrediction/outOfScope``; tenants may tune it.
    public var outOfScopeThreshold: Double
    /// Trained labels that mean "out of scope".
    public let outOfScopeLabels: Set<String>

    /// The intents the classifier can return (besides ``IntentPrediction/outOfScope``), sorted.
    public var intents: [String] { model.labels.filter { !outOfScopeLabels.contains($0) } }

    /// Trains a classifier on `examples`.
    ///
    /// Examples with empty text are skipped. With fewer than two distinct intents the classifier still works
    /// and returns the single intent (or ``IntentPrediction/outOfScope``) for every text.
    public static func train(_ examples: [IntentExample], options: IntentTrainingOptions = IntentTrainingOptions())
        -> IntentClassifier
    {
        let usable = examples.filter { !$0.text.isEmpty }
        let labels = Array(Set(usable.map(\.intent))).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let (featurizer, vectors) = IntentFeaturizer.fit(usable.map(\.text), options: options.features)
        let model = IntentTrainer.train(
            vectors: vectors,
            targets: usable.map { classIndex[$0.intent]! },
            labels: labels,
            dimension: featurizer.dimension,
            options: options
        )
        return IntentClassifier(
            featurizer: featurizer,
            model: model,
            outOfScopeThreshold: options.outOfScopeThreshold,
            outOfScopeLabels: options.outOfScopeLabels
        )
    }

    /// Creates a classifier from fitted parts.
    public init(
        featurizer: IntentFeaturizer, model: IntentModel, outOfScopeThreshold: Double, outOfScopeLabels: Set<String>
    ) {
        self.featurizer = featurizer
        self.model = model
        self.outOfScopeThreshold = outOfScopeThreshold
        self.outOfScopeLabels = outOfScopeLabels
    }

    /// Classifies `text`, returning ``IntentPrediction/outOfScope`` below ``outOfScopeThreshold``.
    public func predict(_ text: String) -> IntentPrediction {
        predict(text, threshold: outOfScopeThreshold)
    }

    /// Classifies `text` with an explicit out-of-scope threshold.
    public func predict(_ text: String, threshold: Double, alternatives: Int = 3) -> IntentPrediction {
        guard !model.labels.isEmpty else {
            return IntentPrediction(
                intent: IntentPrediction.outOfScope, confidence: 0, bestIntent: "", alternatives: [])
        }
        let probabilities = probabilities(text)
        var ranked = Array(probabilities.indices)
        ranked.sort { probabilities[$0] > probabilities[$1] }
        let best = ranked[0]
        let bestLabel = model.labels[best]
        let confidence = probabilities[best]
        let rejected = confidence < threshold || outOfScopeLabels.contains(bestLabel)
        return IntentPrediction(
            intent: rejected ? IntentPrediction.outOfScope : bestLabel,
            confidence: confidence,
            bestIntent: bestLabel,
            alternatives: ranked.prefix(max(1, alternatives)).map {
                IntentPrediction.Alternative(intent: model.labels[$0], probability: probabilities[$0])
            }
        )
    }

    /// Returns the probability of every label in ``IntentModel/labels`` order.
    public func probabilities(_ text: String) -> [Double] {
        guard model.labels.count > 1 else { return model.labels.map { _ in 1 } }
        return model.probabilities(featurizer.vector(text))
    }
}

/// A per-tenant intent classifier: trained in-process from example utterances, Codable for storage.
///
/// ```swift
/// let classifier = IntentClassifier.train(examples, options: IntentTrainingOptions(outOfScopeThreshold: 0.4))
/// let prediction = classifier.predict("where is my card?")
/// ```
///
/// Given each example's sentence embedding too, it learns from n-grams and meaning together
/// (``IntentEmbeddingBlock``), and then wants the message's embedding from the same model at prediction time.
public struct IntentClassifier: Sendable, Codable {
    /// The featurizer fitted on the training utterances.
    public let featurizer: IntentFeaturizer
    /// The softmax model.
    public let model: IntentModel
    /// Below this probability the prediction is ``IntentPrediction/outOfScope``; tenants may tune it.
    public var outOfScopeThreshold: Double
    /// Trained labels that mean "out of scope".
    public let outOfScopeLabels: Set<String>
    /// The sentence-embedding columns, when the classifier was trained with embeddings.
    public let embedding: IntentEmbeddingBlock?

    /// The intents the classifier can return (besides ``IntentPrediction/outOfScope``), sorted.
    public var intents: [String] { model.labels.filter { !outOfScopeLabels.contains($0) } }

    /// Trains a classifier on `examples`.
    ///
    /// Examples with empty text are skipped. With fewer than two distinct intents the classifier still works
    /// and returns the single intent (or ``IntentPrediction/outOfScope``) for every text.
    ///
    /// - Parameters:
    ///   - embeddings: each example's sentence embedding, in the order of `examples`, from `embeddingModel`; nil
    ///     trains on n-grams alone. All must have one length; otherwise they are ignored.
    ///   - embeddingModel: the name of the model that made `embeddings`.
    public static func train(
        _ examples: [IntentExample], embeddings: [[Float]]? = nil, embeddingModel: String = "",
        options: IntentTrainingOptions = IntentTrainingOptions()
    ) -> IntentClassifier {
        let usableEmbeddings = embeddings.flatMap { vectors -> [[Float]]? in
            guard vectors.count == examples.count, let size = vectors.first?.count, size > 0,
                vectors.allSatisfy({ $0.count == size })
            else { return nil }
            return vectors
        }
        let kept = examples.indices.filter { !examples[$0].text.isEmpty }
        let usable = kept.map { examples[$0] }
        let labels = Array(Set(usable.map(\.intent))).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var (featurizer, vectors) = IntentFeaturizer.fit(usable.map(\.text), options: options.features)
        var block: IntentEmbeddingBlock?
        if let usableEmbeddings {
            let added = IntentEmbeddingBlock(
                model: embeddingModel, dimensions: usableEmbeddings[0].count, weight: options.embeddingWeight,
                firstColumn: featurizer.dimension)
            vectors = zip(kept, vectors).map { added.appending(usableEmbeddings[$0], to: $1) }
            block = added
        }
        let model = IntentTrainer.train(
            vectors: vectors,
            targets: usable.map { classIndex[$0.intent]! },
            labels: labels,
            dimension: featurizer.dimension + (block?.dimensions ?? 0),
            options: options
        )
        return IntentClassifier(
            featurizer: featurizer,
            model: model,
            outOfScopeThreshold: options.outOfScopeThreshold,
            outOfScopeLabels: options.outOfScopeLabels,
            embedding: block
        )
    }

    /// Creates a classifier from fitted parts.
    public init(
        featurizer: IntentFeaturizer, model: IntentModel, outOfScopeThreshold: Double, outOfScopeLabels: Set<String>,
        embedding: IntentEmbeddingBlock? = nil
    ) {
        self.featurizer = featurizer
        self.model = model
        self.outOfScopeThreshold = outOfScopeThreshold
        self.outOfScopeLabels = outOfScopeLabels
        self.embedding = embedding
    }

    /// Classifies `text`, returning ``IntentPrediction/outOfScope`` below ``outOfScopeThreshold``.
    ///
    /// A classifier trained with embeddings wants `embedding`, the text's vector from ``IntentEmbeddingBlock/model``;
    /// without it the prediction rests on n-grams alone, and is less sure.
    public func predict(_ text: String, embedding: [Float]? = nil) -> IntentPrediction {
        predict(text, embedding: embedding, threshold: outOfScopeThreshold)
    }

    /// Classifies `text` with an explicit out-of-scope threshold.
    public func predict(
        _ text: String, embedding: [Float]? = nil, threshold: Double, alternatives: Int = 3
    ) -> IntentPrediction {
        guard !model.labels.isEmpty else {
            return IntentPrediction(
                intent: IntentPrediction.outOfScope, confidence: 0, bestIntent: "", alternatives: [])
        }
        let probabilities = probabilities(text, embedding: embedding)
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
    public func probabilities(_ text: String, embedding: [Float]? = nil) -> [Double] {
        guard model.labels.count > 1 else { return model.labels.map { _ in 1 } }
        let features = featurizer.vector(text)
        return model.probabilities(self.embedding?.appending(embedding, to: features) ?? features)
    }
}

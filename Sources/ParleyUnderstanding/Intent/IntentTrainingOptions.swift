/// Hyperparameters for ``IntentClassifier/train(_:options:)``.
///
/// The defaults were chosen once on held-out splits of training data (see `scripts/README.md`) and are meant to
/// be left alone per tenant; only ``outOfScopeThreshold`` is a per-tenant knob.
public struct IntentTrainingOptions: Sendable, Codable, Hashable {
    /// Feature extraction settings.
    public var features: IntentFeatureOptions
    /// L2 regularisation strength per example (λ in `mean loss + λ/2 ‖W‖²`).
    public var l2: Double
    /// Passes over the training data.
    public var epochs: Int
    /// Initial SGD step size.
    public var learningRate: Double
    /// Whether the model is the mean of the end-of-epoch weights over the second half of training (otherwise the
    /// last iterate).
    public var averagesSnapshots: Bool
    /// Seed for the shuffling order, so training is reproducible.
    public var seed: UInt64
    /// Below this probability the prediction is ``IntentPrediction/outOfScope``.
    public var outOfScopeThreshold: Double
    /// Training labels that mean "out of scope", such as CLINC150's `oos`.
    ///
    /// The class is learned like any other, and predicting it yields ``IntentPrediction/outOfScope``.
    public var outOfScopeLabels: Set<String>
    /// The length of a sentence embedding beside the n-gram vector (of length 1), when training with embeddings.
    public var embeddingWeight: Float

    /// Creates options; every parameter has a measured default.
    public init(
        features: IntentFeatureOptions = IntentFeatureOptions(),
        l2: Double = 2e-6,
        epochs: Int = 12,
        learningRate: Double = 2,
        averagesSnapshots: Bool = true,
        seed: UInt64 = 42,
        outOfScopeThreshold: Double = 0.0,
        outOfScopeLabels: Set<String> = [IntentPrediction.outOfScope],
        embeddingWeight: Float = 0.7
    ) {
        self.embeddingWeight = embeddingWeight
        self.features = features
        self.l2 = l2
        self.epochs = epochs
        self.learningRate = learningRate
        self.averagesSnapshots = averagesSnapshots
        self.seed = seed
        self.outOfScopeThreshold = outOfScopeThreshold
        self.outOfScopeLabels = outOfScopeLabels
    }
}

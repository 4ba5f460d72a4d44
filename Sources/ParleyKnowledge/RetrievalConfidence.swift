/// Maps what retrieval says about its top hit to a confidence in 0…1 that the hit answers the question.
///
/// The confidence is a weighted mean of the signals that are present, each first scaled to 0…1:
/// - semantic: the top cosine, linearly from ``semanticFloor`` (0) to ``semanticCeiling`` (1), weight
///   ``semanticWeight``;
/// - agreement: 1 when lexical and semantic retrieval put the same item first, else 0, weight ``agreementWeight``;
/// - lexical margin: how far the top BM25 hit leads the second, linearly from 0 to ``lexicalMarginCeiling`` (1),
///   weight ``lexicalWeight``.
///
/// A missing signal drops out of the mean, so lexical-only retrieval is judged on its margin alone. No signal
/// gives 0. For fixed other signals the confidence never decreases as the top cosine or the margin grows.
///
/// Calibration: run `knowledge-eval` on a labelled set that looks like the tenant's questions; it prints, per
/// confidence band, how often the top hit was relevant, and the lowest threshold whose answered queries reach a
/// target precision. Set ``threshold`` there (and the floors and ceilings so the bands spread over 0…1). The
/// defaults suit all-MiniLM-L6-v2 cosines, where unrelated support texts score about 0.1–0.3 and paraphrases
/// 0.6–0.8.
public struct RetrievalConfidence: Sendable, Equatable {
    /// The default ``threshold``: at or above it the top hit is trusted enough to answer from.
    public static let defaultThreshold = 0.5

    /// The top cosine that counts as no evidence.
    public var semanticFloor: Double
    /// The top cosine that counts as full evidence.
    public var semanticCeiling: Double
    /// The lexical margin that counts as full evidence.
    public var lexicalMarginCeiling: Double
    /// The weight of the semantic signal.
    public var semanticWeight: Double
    /// The weight of the agreement signal.
    public var agreementWeight: Double
    /// The weight of the lexical-margin signal.
    public var lexicalWeight: Double
    /// The confidence at or above which the top hit is trusted (see ``isConfident(_:)``).
    public var threshold: Double

    /// Creates a confidence model; the defaults are documented on the type.
    public init(
        semanticFloor: Double = 0.3,
        semanticCeiling: Double = 0.7,
        lexicalMarginCeiling: Double = 0.5,
        semanticWeight: Double = 0.6,
        agreementWeight: Double = 0.25,
        lexicalWeight: Double = 0.15,
        threshold: Double = RetrievalConfidence.defaultThreshold
    ) {
        self.semanticFloor = semanticFloor
        self.semanticCeiling = semanticCeiling
        self.lexicalMarginCeiling = lexicalMarginCeiling
        self.semanticWeight = max(0, semanticWeight)
        self.agreementWeight = max(0, agreementWeight)
        self.lexicalWeight = max(0, lexicalWeight)
        self.threshold = threshold
    }

    /// Returns the confidence, in 0…1, that the top hit described by `signals` is relevant.
    public func confidence(for signals: RetrievalSignals) -> Double {
        var weighted = 0.0
        var weights = 0.0
        if let cosine = signals.topSemanticScore {
            weighted += semanticWeight * Self.ramp(cosine, from: semanticFloor, to: semanticCeiling)
            weights += semanticWeight
        }
        if let agree = signals.topHitsAgree {
            weighted += agreementWeight * (agree ? 1 : 0)
            weights += agreementWeight
        }
        if let margin = signals.lexicalMargin {
            weighted += lexicalWeight * Self.ramp(margin, from: 0, to: lexicalMarginCeiling)
            weights += lexicalWeight
        }
        guard weights > 0 else { return 0 }
        return min(1, max(0, weighted / weights))
    }

    /// Whether `confidence` reaches ``threshold``.
    public func isConfident(_ confidence: Double) -> Bool {
        confidence >= threshold
    }

    /// `value` mapped linearly from `low...high` onto 0…1 and clamped (a step at `low` when the range is empty).
    private static func ramp(_ value: Double, from low: Double, to high: Double) -> Double {
        guard value.isFinite else { return value > 0 ? 1 : 0 }
        guard high > low else { return value >= low ? 1 : 0 }
        return min(1, max(0, (value - low) / (high - low)))
    }
}

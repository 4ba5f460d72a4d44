/// The language detected for a text, with a confidence.
public struct LanguageGuess: Sendable, Codable, Hashable {
    /// The code returned when no language can be told (empty text, only digits, symbols or emoji).
    public static let undetermined = "und"

    /// ISO 639-1 code (`en`, `zh`, `pt`, …), or ``undetermined``.
    public var language: String
    /// Probability-like confidence in [0, 1].
    public var confidence: Double
    /// The dominant script of the text's letters, if it has any.
    public var script: Script?
    /// The best candidates with their probabilities, best first (only for scripts shared by several languages).
    public var alternatives: [Alternative]

    /// A candidate language and its probability.
    public struct Alternative: Sendable, Codable, Hashable {
        /// ISO 639-1 code.
        public var language: String
        /// Probability in [0, 1].
        public var probability: Double

        /// Creates an alternative.
        public init(language: String, probability: Double) {
            self.language = language
            self.probability = probability
        }
    }

    /// Creates a guess.
    public init(language: String, confidence: Double, script: Script?, alternatives: [Alternative] = []) {
        self.language = language
        self.confidence = confidence
        self.script = script
        self.alternatives = alternatives
    }

    /// Whether a language was determined.
    public var isDetermined: Bool { language != Self.undetermined }
}

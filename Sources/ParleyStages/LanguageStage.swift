import ParleyCore
import ParleyUnderstanding

/// Detects the visitor's language, so later stages answer in it.
public struct LanguageStage: Stage {
    public static let manifest = StageManifest(
        id: "language",
        version: "1.0.0",
        description: "Detects the visitor's language (24 languages) with a confidence.",
        placement: Placement(before: ["fallback"]),
        isBuiltIn: true
    )

    /// When a guess is trusted.
    public struct Settings: StageSettings {
        /// Guesses below this confidence leave the language unset.
        public var minConfidence = 0.5

        public init() {}

        public func validate() -> [String] {
            (0...1).contains(minConfidence) ? [] : ["minConfidence must be between 0 and 1"]
        }
    }

    private let settings: Settings
    private let detector = LanguageDetector()

    public init(settings: Settings) {
        self.settings = settings
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let guess = detector.detect(turn.text)
        guard guess.language != LanguageGuess.undetermined, guess.confidence >= settings.minConfidence else {
            return .continue(because: "language undetermined")
        }
        turn.language = guess.language
        return .continue(because: "\(guess.language) (\((guess.confidence * 100).rounded() / 100))")
    }
}

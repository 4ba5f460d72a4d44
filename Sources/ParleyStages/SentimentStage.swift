import ParleyCore
import ParleyUnderstanding

/// Scores the message's sentiment in [-1, 1] for rules and the escalation stage.
public struct SentimentStage: Stage {
    public static let manifest = StageManifest(
        id: "sentiment",
        version: "1.0.0",
        description: "Scores sentiment from -1 (very negative) to 1 (very positive).",
        placement: Placement(before: ["escalation"]),
        isBuiltIn: true
    )

    public typealias Settings = NoSettings

    private let analyzer = SentimentAnalyzer()

    public init(settings: NoSettings) {}

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let score = analyzer.score(turn.text)
        turn.sentiment = score
        return .continue(because: "score \((score * 100).rounded() / 100)")
    }
}

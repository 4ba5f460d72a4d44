import ParleyCore
import ParleyUnderstanding

/// Scores the message's sentiment in [-1, 1], and the conversation's running trend, for rules and escalation.
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
        var trend =
            turn.sentimentTrend.map { SentimentTrend(value: $0.value, delta: $0.delta, count: $0.count) }
            ?? SentimentTrend()
        trend.add(score)
        turn.sentimentTrend = SentimentTrendState(value: trend.value, delta: trend.delta, count: trend.count)
        return .continue(
            because: "score \(Self.rounded(score)), trend \(Self.rounded(trend.value)) over \(trend.count)")
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

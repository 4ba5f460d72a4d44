import Testing

@testable import ParleyUnderstanding

@Suite("Sentiment")
struct SentimentAnalyzerTests {
    let analyzer = SentimentAnalyzer()

    @Test func polarity() {
        #expect(analyzer.score("Thanks, that was really helpful!") > 0.5)
        #expect(analyzer.score("This is the worst service, I am furious") < -0.5)
        #expect(analyzer.score("The parcel is in Paris") == 0)
        #expect(analyzer.label("I love it") == .positive)
        #expect(analyzer.label("I hate it") == .negative)
        #expect(analyzer.label("The parcel is in Paris") == .neutral)
    }

    @Test func negationFlipsAndIntensifiersAmplify() {
        #expect(analyzer.score("the agent was not helpful") < 0)
        #expect(analyzer.score("this isn't bad") > 0)
        #expect(analyzer.score("very good") > analyzer.score("good"))
        #expect(analyzer.score("slightly good") < analyzer.score("good"))
        #expect(analyzer.score("GOOD service, bad app") > analyzer.score("good service, bad app"))
    }

    @Test func contrastAndPunctuation() {
        #expect(analyzer.score("The app is nice but the delivery was terrible") < 0)
        #expect(analyzer.score("great!!!") > analyzer.score("great"))
    }

    @Test func emojiCarrySentiment() {
        #expect(analyzer.score("😠😢") < 0)
        #expect(analyzer.score("thanks 😍") > analyzer.score("thanks"))
    }

    @Test func boundedOnEdgeCases() {
        #expect(analyzer.score("") == 0)
        let emoji = String(repeating: "😀", count: 2_048)
        let score = analyzer.score(emoji)
        #expect(score > 0 && score <= 1)
        #expect(abs(analyzer.score(String(repeating: "awful ", count: 2_000))) <= 1)
    }

    @Test func trendSmoothsAndFlagsNegativeConversations() {
        var trend = SentimentTrend(halfLife: 1)
        #expect(!trend.isNegative())
        trend.add(0.8)
        #expect(trend.value == 0.8)
        trend.add(-0.8)
        #expect(abs(trend.value) < 1e-9)
        #expect(trend.delta < 0)
        for _ in 0..<5 { trend.add(-0.9) }
        #expect(trend.isNegative())
        #expect(trend.count == 7)
        trend.add(.nan)
        #expect(trend.value.isFinite)
    }
}

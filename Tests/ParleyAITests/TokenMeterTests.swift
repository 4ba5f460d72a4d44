import Testing

@testable import ParleyAI

@Suite struct TokenMeterTests {
    @Test func estimatesAboutFourCharactersPerToken() {
        #expect(TokenEstimator.tokens(in: "") == 0)
        // 35 non-space characters, 9 words: max(ceil(35 / 4), ceil(9 × 4 / 3)) = max(9, 12).
        #expect(TokenEstimator.tokens(in: "The quick brown fox jumps over the lazy dog") == 12)
        // Long words: 28 characters → 7 tokens beats 1 word → 2.
        #expect(TokenEstimator.tokens(in: "antidisestablishmentarianism") == 7)
        // One token per ideograph.
        #expect(TokenEstimator.tokens(in: "你好世界") == 4)
    }

    @Test func estimatesPromptsWithMessageOverhead() {
        let messages: [ChatMessage] = [.system("Be brief."), .user("Hi")]
        // 3 (reply priming) + 4 + 3 ("Be brief." → max(2, 3)) + 4 + 1 ("Hi" → max(1, 2) = 2)
        #expect(TokenEstimator.promptTokens(of: messages) == 3 + 4 + 3 + 4 + 2)
    }

    @Test func prefersReportedUsage() {
        var meter = TokenMeter(request: hello)
        meter.record(.delta("Hel"))
        meter.record(.delta("lo"))
        meter.record(.finish(.stop))
        meter.record(.usage(TokenUsage(promptTokens: 20, completionTokens: 2)))
        #expect(meter.text == "Hello")
        #expect(meter.usage == TokenUsage(promptTokens: 20, completionTokens: 2))
        #expect(!meter.usage.isEstimated)
    }

    @Test func estimatesWhenNothingWasReported() {
        var meter = TokenMeter(request: hello)
        meter.record(.delta("Hello there, how can I help?"))
        let usage = meter.usage
        #expect(usage.isEstimated)
        #expect(usage.promptTokens == TokenEstimator.promptTokens(of: hello.messages))
        #expect(usage.completionTokens == TokenEstimator.tokens(in: "Hello there, how can I help?"))
    }
}

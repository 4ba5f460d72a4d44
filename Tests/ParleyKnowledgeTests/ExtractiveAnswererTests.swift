import ParleyCore
import Testing

@testable import ParleyKnowledge

@Suite("Extractive answers")
struct ExtractiveAnswererTests {
    let refunds = Passage(
        chunkID: "refunds#0", documentID: "refunds", title: "Refunds", url: "https://help.example/refunds",
        text: "We are sorry when a purchase goes wrong. Refunds take 5 to 7 business days to reach your account. "
            + "Card refunds appear as a credit on your statement.",
        score: 0.8, foundBy: ["lexical", "semantic"])
    let cards = Passage(
        chunkID: "cards#2", documentID: "cards", title: "Cards",
        text: "A new card arrives within 10 days.\n- Track it in the app.\n- Call us if it is lost.",
        score: 0.6, foundBy: ["semantic"])
    let faq = Passage(
        chunkID: "faq#pin", documentID: "faq", title: "FAQ",
        text: "Q: How do I reset my PIN?\nA: Open Settings, then tap Reset PIN. You will get an SMS code.",
        score: 0.9, foundBy: ["lexical"])

    @Test("quotes the matching sentence verbatim and cites its passage")
    func verbatim() {
        let answer = ExtractiveAnswerer().answer(
            question: "How long do refunds take?", passages: [refunds, cards], confidence: 0.9)
        #expect(
            answer
                == .answer(
                    text: "Refunds take 5 to 7 business days to reach your account. "
                        + "Card refunds appear as a credit on your statement.",
                    citations: [Citation(source: "refunds#0", title: "Refunds", url: "https://help.example/refunds")]))
    }

    @Test("below the minimum confidence, with no passages or with NaN confidence, it does not answer")
    func unknown() {
        let answerer = ExtractiveAnswerer(minimumConfidence: 0.6)
        #expect(answerer.answer(question: "refunds?", passages: [refunds], confidence: 0.59) == .unknown)
        #expect(answerer.answer(question: "refunds?", passages: [], confidence: 1) == .unknown)
        #expect(answerer.answer(question: "refunds?", passages: [refunds], confidence: .nan) == .unknown)
        #expect(answerer.answer(question: "refunds?", passages: [refunds], confidence: 0.6) != .unknown)
    }

    @Test("a FAQ chunk is answered with its answer part only")
    func faqAnswer() {
        let answer = ExtractiveAnswerer().answer(
            question: "I forgot my PIN, how can I reset it?", passages: [faq, refunds], confidence: 0.7)
        #expect(
            answer
                == .answer(
                    text: "Open Settings, then tap Reset PIN. You will get an SMS code.",
                    citations: [Citation(source: "faq#pin", title: "FAQ")]))
    }

    @Test("sentences from several passages come back in passage order, each passage cited once, in order")
    func passageOrderAndCitations() {
        let answer = ExtractiveAnswerer().answer(
            question: "card arrives lost refunds card statement", passages: [cards, refunds], confidence: 1)
        guard case .answer(let text, let citations) = answer else {
            Issue.record("expected an answer, got \(answer)")
            return
        }
        #expect(citations.map(\.source) == ["cards#2", "refunds#0"])
        let cardPart = text.range(of: "A new card arrives")
        let refundPart = text.range(of: "Card refunds appear")
        #expect(cardPart != nil && refundPart != nil)
        if let cardPart, let refundPart { #expect(cardPart.lowerBound < refundPart.lowerBound) }
    }

    @Test("adjacent list items keep their newline")
    func adjacentSeparator() {
        let answer = ExtractiveAnswerer(maxSentences: 2).answer(
            question: "track lost card app call", passages: [cards], confidence: 1)
        #expect(
            answer
                == .answer(
                    text: "- Track it in the app.\n- Call us if it is lost.",
                    citations: [Citation(source: "cards#2", title: "Cards")]))
    }

    @Test("a given similarity function decides which sentences are quoted")
    func similarity() {
        let prefersCredit: @Sendable (String, String) -> Double = { _, text in text.contains("credit") ? 0.9 : 0.1 }
        let answer = ExtractiveAnswerer().answer(
            question: "anything", passages: [refunds], confidence: 1, similarity: prefersCredit)
        #expect(
            answer
                == .answer(
                    text: "Card refunds appear as a credit on your statement.",
                    citations: [Citation(source: "refunds#0", title: "Refunds", url: "https://help.example/refunds")]))
    }

    @Test("maxSentences bounds the answer; with no overlap it quotes the first passage's lead")
    func bounds() {
        let one = ExtractiveAnswerer(maxSentences: 1).answer(
            question: "refunds card statement account", passages: [refunds], confidence: 1)
        guard case .answer(let text, _) = one else {
            Issue.record("expected an answer")
            return
        }
        #expect(SentenceSplitter.sentences(of: text).count == 1)
        let lead = ExtractiveAnswerer().answer(question: "zzz qqq", passages: [cards, refunds], confidence: 1)
        #expect(
            lead
                == .answer(
                    text: "A new card arrives within 10 days.", citations: [Citation(source: "cards#2", title: "Cards")]
                ))
    }

    @Test("never outputs a word that is not in the passages (property over random inputs)")
    func neverInvents() {
        var generator = SeededGenerator(seed: 2024)
        let vocabulary = [
            "card", "refund", "transfer", "fee", "limit", "PIN", "app", "account", "5", "3.5", "days", "EUR",
            "blocked", "pending", "the", "your", "is", "within", "e.g.", "über", "费用", "é", "top-up", "(soon)",
        ]
        let terminators = [".", "!", "?", "。", ""]
        for round in 0..<150 {
            var passages: [Passage] = []
            for index in 0..<Int.random(in: 1...4, using: &generator) {
                var sentences: [String] = []
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let words = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                        vocabulary.randomElement(using: &generator) ?? "card"
                    }
                    sentences.append(
                        words.joined(separator: " ") + (terminators.randomElement(using: &generator) ?? "."))
                }
                let separator = Bool.random(using: &generator) ? " " : "\n- "
                var text = sentences.joined(separator: separator)
                if Int.random(in: 0..<5, using: &generator) == 0 { text = "Q: \(sentences[0])\nA: \(text)" }
                passages.append(
                    Passage(
                        chunkID: "c\(round)-\(index)", documentID: "d\(index)", title: "T\(index)", text: text, score: 1
                    ))
            }
            let question = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                vocabulary.randomElement(using: &generator) ?? "fee"
            }.joined(separator: " ")
            let answerer = ExtractiveAnswerer(maxSentences: Int.random(in: 1...4, using: &generator))
            let answer = answerer.answer(question: question, passages: passages, confidence: 1)
            guard case .answer(let text, let citations) = answer else {
                Issue.record("round \(round): no answer")
                continue
            }
            let passageWords = Set(passages.flatMap { $0.text.split(whereSeparator: \.isWhitespace) })
            for word in text.split(whereSeparator: \.isWhitespace) {
                #expect(passageWords.contains(word), "round \(round): \"\(word)\" is not in the passages")
            }
            // Each cited passage exists, is cited once, and citations follow passage order.
            let order = citations.compactMap { citation in passages.firstIndex { $0.chunkID == citation.source } }
            #expect(order.count == citations.count)
            #expect(order == order.sorted() && Set(order).count == order.count)
            // No FAQ question is ever quoted.
            #expect(!text.contains("Q: "))
        }
    }
}

import Foundation
import ParleyCore

/// Answers from retrieved passages by quoting their best sentences verbatim: the offline answer that never
/// invents facts.
///
/// How it answers:
/// 1. Below ``minimumConfidence``, or with no passages, it answers ``ExtractiveAnswer/unknown``.
/// 2. It reads the first ``maxPassages`` passages (in the order given, best first). A FAQ chunk
///    (`"Q: …\nA: …"`) is one unit: its answer part (up to ``maxSentences`` sentences), scored by how well the
///    question matches the FAQ's question or answer. Any other passage gives one unit per sentence.
/// 3. Units are scored with `similarity(question, text)` when given, else by lexical overlap: the share of the
///    question's IDF weight (IDF across the passages read) that the unit's terms cover, after lowercasing,
///    stripping punctuation and dropping English stop words.
/// 4. If the best unit is a FAQ answer, that answer is the reply. Otherwise the reply is the best sentences
///    scoring at least half the best score, up to ``maxSentences``, put back in passage order. If nothing
///    scores above zero, the reply is the lead of the first passage, which retrieval already judged relevant.
/// 5. Sentences are quoted as written; sentences that were adjacent in a passage keep the whitespace between
///    them, others are joined by one space. Every passage quoted is cited once, in order.
public struct ExtractiveAnswerer: Sendable {
    /// The most sentences in one answer (at least 1).
    public var maxSentences: Int
    /// The retrieval confidence below which the answer is ``ExtractiveAnswer/unknown``.
    public var minimumConfidence: Double
    /// How many of the top passages to read (at least 1).
    public var maxPassages: Int

    /// Creates an answerer.
    public init(
        maxSentences: Int = 3,
        minimumConfidence: Double = RetrievalConfidence.defaultThreshold,
        maxPassages: Int = 3
    ) {
        self.maxSentences = max(1, maxSentences)
        self.minimumConfidence = minimumConfidence
        self.maxPassages = max(1, maxPassages)
    }

    /// Answers `question` from `passages` (best first) when `confidence` reaches ``minimumConfidence``.
    ///
    /// - Parameter similarity: scores `(question, text)`, higher is closer; `nil` uses lexical overlap.
    public func answer(
        question: String,
        passages: [Passage],
        confidence: Double,
        similarity: (@Sendable (String, String) -> Double)? = nil
    ) -> ExtractiveAnswer {
        guard confidence >= minimumConfidence, !passages.isEmpty else { return .unknown }
        let read = Array(passages.prefix(maxPassages))
        let units = read.enumerated().flatMap { quotableUnits(of: $1, passage: $0) }
        guard !units.isEmpty else { return .unknown }

        let score: (String) -> Double
        if let similarity {
            score = { similarity(question, $0) }
        } else {
            let scorer = OverlapScorer(question: question, documents: read.map(\.text))
            score = scorer.score
        }
        let scores: [Double] = units.map { unit in unit.scoredTexts.map(score).max() ?? 0 }
        let ranked: [Int] = units.indices.sorted { lhs, rhs in
            scores[lhs] != scores[rhs] ? scores[lhs] > scores[rhs] : lhs < rhs
        }
        guard let best = ranked.first else { return .unknown }

        let chosen: [Unit]
        if scores[best] <= 0 {
            chosen = Array(units.filter { $0.passage == 0 }.prefix(1))
        } else if units[best].isFAQ {
            chosen = [units[best]]
        } else {
            let cutoff = scores[best] / 2
            let picked: [Int] = ranked.filter { index in !units[index].isFAQ && scores[index] >= cutoff }
            chosen = picked.prefix(maxSentences).sorted().map { index in units[index] }
        }
        return reply(quoting: chosen, from: read)
    }

    // MARK: - Units

    /// A quotable piece of a passage: one sentence, or a FAQ chunk's answer.
    private struct Unit {
        /// The passage's index among those read.
        var passage: Int
        /// The unit's first sentence index within the passage.
        var sentence: Int
        /// The quoted segments, verbatim.
        var segments: [TextSegment]
        /// The texts the question is compared with.
        var scoredTexts: [String]
        /// Whether the unit is a FAQ chunk's answer.
        var isFAQ: Bool
    }

    private func quotableUnits(of passage: Passage, passage index: Int) -> [Unit] {
        if let faq = FAQText(passage.text) {
            let segments = Array(SentenceSplitter.segments(of: faq.answer).prefix(maxSentences))
            guard !segments.isEmpty else { return [] }
            return [
                Unit(
                    passage: index, sentence: 0, segments: segments, scoredTexts: [faq.question, faq.answer],
                    isFAQ: true)
            ]
        }
        return SentenceSplitter.segments(of: passage.text).enumerated().map { offset, segment in
            Unit(passage: index, sentence: offset, segments: [segment], scoredTexts: [segment.text], isFAQ: false)
        }
    }

    private func reply(quoting units: [Unit], from passages: [Passage]) -> ExtractiveAnswer {
        guard !units.isEmpty else { return .unknown }
        var text = ""
        var citations: [Citation] = []
        var previous: Unit?
        for unit in units {
            if let previous {
                let adjacent = previous.passage == unit.passage && previous.sentence + 1 == unit.sentence
                let separator = previous.segments.last?.separator ?? " "
                text += adjacent && !separator.isEmpty ? separator : " "
            }
            text += TextSegment.join(unit.segments)
            let passage = passages[unit.passage]
            if !citations.contains(where: { $0.source == passage.chunkID }) {
                citations.append(Citation(source: passage.chunkID, title: passage.title, url: passage.url))
            }
            previous = unit
        }
        return .answer(text: text, citations: citations)
    }
}

import Foundation

/// Scores the sentiment of one message in [-1, 1] with a valence lexicon and rules.
///
/// The rules follow VADER (Hutto & Gilbert, 2014): word valences from VADER's lexicon (shipped as data), emoji
/// mapped to their descriptions, boosters and dampeners (`very`, `slightly`) within three words, negation within
/// three words (`not good` ≈ −0.74 × good), all-caps emphasis in mixed-case text, contrast (`but`: before ×0.5,
/// after ×1.5), and `!`/`?` emphasis. The sum is squashed with `x / √(x² + 15)`.
public struct SentimentAnalyzer: Sendable {
    /// Scores strictly inside this range are labelled neutral by ``label(_:)``; at or above its upper bound they
    /// are positive, at or below its lower bound negative.
    public var neutralRange: ClosedRange<Double>

    private let lexicon: SentimentLexicon

    /// Creates an analyzer; the default neutral range was chosen on a development split of labelled tweets, never
    /// on the test rows (see `scripts/README.md`).
    public init(neutralRange: ClosedRange<Double> = -0.05...0.40) {
        self.neutralRange = neutralRange
        self.lexicon = .shipped
    }

    /// Returns the sentiment of `text` in [-1, 1]; 0 for text with no sentiment words.
    public func score(_ text: String) -> Double {
        let bounded = text.count > 4_096 ? String(text.prefix(4_096)) : text
        let tokens = tokens(bounded)
        guard !tokens.isEmpty else { return 0 }
        let hasLower = tokens.contains { $0 != $0.uppercased() }
        let hasUpper = tokens.contains { Self.isShouting($0) }
        let capsDifferential = hasLower && hasUpper
        let lowered = tokens.map { $0.lowercased() }
        var sentiments = [Double](repeating: 0, count: tokens.count)
        for index in tokens.indices {
            let word = lowered[index]
            if SentimentLexicon.boosters[word] != nil { continue }
            if word == "kind", index + 1 < tokens.count, lowered[index + 1] == "of" { continue }
            guard var valence = lexicon.valences[word] else { continue }
            // "like" as a preposition or filler is not sentiment.
            if word == "like", index > 0,
                ["feel", "looks", "look", "seems", "sounds", "just"].contains(lowered[index - 1])
            {
                continue
            }
            if capsDifferential, Self.isShouting(tokens[index]) {
                valence += valence > 0 ? SentimentLexicon.capsIncrement : -SentimentLexicon.capsIncrement
            }
            for distance in 1...3 where index - distance >= 0 {
                let previous = lowered[index - distance]
                if var boost = SentimentLexicon.boosters[previous], lexicon.valences[previous] == nil {
                    if valence < 0 { boost = -boost }
                    if capsDifferential, Self.isShouting(tokens[index - distance]) {
                        boost += valence > 0 ? SentimentLexicon.capsIncrement : -SentimentLexicon.capsIncrement
                    }
                    valence += boost * [1, 0.95, 0.9][distance - 1]
                }
            }
            let window = lowered[max(0, index - 3)..<index]
            if window.contains(where: SentimentLexicon.isNegation) {
                valence *= SentimentLexicon.negationFactor
            } else if index > 0, lowered[index - 1] == "least",
                index < 2 || !["at", "very"].contains(lowered[index - 2])
            {
                valence *= SentimentLexicon.negationFactor
            }
            sentiments[index] = valence
        }
        if let contrast = lowered.firstIndex(of: "but") {
            for index in sentiments.indices {
                sentiments[index] *= index < contrast ? 0.5 : (index > contrast ? 1.5 : 1)
            }
        }
        var total = sentiments.reduce(0, +)
        guard total != 0 else { return 0 }
        let exclamations = min(4, bounded.reduce(0) { $0 + ($1 == "!" ? 1 : 0) })
        let questions = bounded.reduce(0) { $0 + ($1 == "?" ? 1 : 0) }
        var emphasis = Double(exclamations) * 0.292
        if questions > 1 { emphasis += questions <= 3 ? Double(questions) * 0.18 : 0.96 }
        total += total > 0 ? emphasis : -emphasis
        return max(-1, min(1, total / (total * total + 15).squareRoot()))
    }

    /// Returns the three-way label of `text` using ``neutralRange``.
    public func label(_ text: String) -> SentimentLabel {
        label(forScore: score(text))
    }

    /// Returns the label for a score from ``score(_:)``.
    public func label(forScore score: Double) -> SentimentLabel {
        if score >= neutralRange.upperBound { return .positive }
        if score <= neutralRange.lowerBound { return .negative }
        return .neutral
    }

    /// Splits text on white space, replaces emoji with their descriptions, and strips punctuation around words
    /// unless the whole token is a lexicon entry (emoticons such as `:)`).
    func tokens(_ text: String) -> [String] {
        var expanded = ""
        expanded.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isASCII, !lexicon.hasASCIIEmoji {
                expanded.append(character)
            } else if let description = lexicon.emoji[String(character)] {
                expanded += " \(description) "
            } else if character.unicodeScalars.count > 1, let first = character.unicodeScalars.first,
                let description = lexicon.emoji[String(first)]
            {
                expanded += " \(description) "
            } else {
                expanded.append(character)
            }
        }
        var output: [String] = []
        for raw in expanded.split(whereSeparator: { $0.isWhitespace }) {
            let token = String(raw)
            if lexicon.valences[token.lowercased()] != nil, token.count > 1 {
                output.append(token)
                continue
            }
            let trimmed = token.trimmingCharacters(in: Self.punctuationAndSymbols)
            if trimmed.count > 1 || trimmed == "i" || trimmed == "I" || trimmed == "a" || trimmed == "A" {
                output.append(trimmed)
            }
        }
        return output
    }

    /// What ``tokens(_:)`` strips around a word.
    private static let punctuationAndSymbols = CharacterSet.punctuationCharacters.union(.symbols)

    private static func isShouting(_ token: String) -> Bool {
        token.count > 1 && token == token.uppercased() && token != token.lowercased()
    }
}

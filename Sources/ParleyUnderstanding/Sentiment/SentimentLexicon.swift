/// Word valences, emoji descriptions and the rule word lists used by ``SentimentAnalyzer``.
struct SentimentLexicon: Sendable {
    /// Lower-cased token (word, emoticon or slang) to valence in [-4, 4].
    let valences: [String: Double]
    /// Emoji to its English description (`😀` → `grinning face`).
    let emoji: [String: String]
    /// Whether some emoji entry is a single ASCII character (VADER's are not): if not, ASCII text has no emoji.
    let hasASCIIEmoji: Bool

    /// The lexicon shipped with the package (VADER's, MIT licence).
    static let shipped = SentimentLexicon(words: SentimentLexiconData.words, emoji: SentimentLexiconData.emoji)

    /// Parses `token<TAB>value` lines.
    init(words: String, emoji: String) {
        var valences: [String: Double] = [:]
        for line in words.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 2, let value = Double(fields[1]) { valences[String(fields[0])] = value }
        }
        var descriptions: [String: String] = [:]
        for line in emoji.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count >= 2 { descriptions[String(fields[0])] = String(fields[1]) }
        }
        self.valences = valences
        self.emoji = descriptions
        hasASCIIEmoji = descriptions.keys.contains { $0.count == 1 && $0.first?.isASCII == true }
    }

    /// Scalar added by a booster word of increasing strength (`very`, `extremely`).
    static let boostIncrement = 0.293
    /// Scalar added by a dampener word (`slightly`, `kind of`).
    static let dampenIncrement = -0.293
    /// Valence added to an all-caps sentiment word in mixed-case text.
    static let capsIncrement = 0.733
    /// Factor applied to a negated sentiment word.
    static let negationFactor = -0.74

    /// Degree adverbs: boosters (positive) and dampeners (negative).
    static let boosters: [String: Double] = {
        let up = [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
            "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
            "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin",
            "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
            "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly",
            "purely", "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
            "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very", "super",
            "way", "damn", "seriously",
        ]
        let down = [
            "almost", "barely", "hardly", "kinda", "kindof", "less", "little", "marginal", "marginally",
            "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat", "sorta",
            "sortof",
        ]
        var table: [String: Double] = [:]
        for word in up { table[word] = boostIncrement }
        for word in down { table[word] = dampenIncrement }
        return table
    }()

    /// Words that negate the sentiment of the next few words.
    static let negations: Set<String> = [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt",
        "havent", "isnt", "mightnt", "mustnt", "neither", "neednt", "never", "none", "nope", "nor", "not",
        "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "without", "wont",
        "wouldnt", "rarely", "seldom", "despite", "no",
    ]

    /// Whether `word` (lower-cased) negates what follows.
    static func isNegation(_ word: String) -> Bool {
        if word.hasSuffix("n't") || word.hasSuffix("n\u{2019}t") { return true }
        return negations.contains(word.replacingOccurrences(of: "'", with: ""))
    }
}

/// Estimates how many model tokens a text takes, without running a tokenizer.
///
/// The approximation, chosen to track WordPiece/BPE tokenizers such as all-MiniLM-L6-v2's to within a few tens
/// of percent on support-style prose, and to err high rather than low:
/// - a run of letters and digits (a word) counts one token per started 6 characters (`"card"` is 1,
///   `"internationalization"` is 4); runs in Thai, Lao, Khmer or Myanmar script, written without spaces between
///   words, count one token per started 3 characters;
/// - every punctuation or symbol character counts 1 (`"e.g."` is 1 + 1 + 1 + 1 = 4);
/// - every Han, kana or Hangul character counts 1, as those tokenizers split them per character;
/// - whitespace is free.
struct ChunkTokenEstimator: Sendable, Equatable {
    /// The estimated tokens of every character added so far, the unfinished word included.
    var total: Int { closed + wordCost }

    private var closed = 0
    private var wordLength = 0
    private var wordIsDense = false

    private var wordCost: Int {
        let perToken = wordIsDense ? 3 : 6
        return (wordLength + perToken - 1) / perToken
    }

    /// Creates an estimator that has counted nothing.
    init() {}

    /// Returns the estimated token count of `text`.
    static func count(_ text: some StringProtocol) -> Int {
        var estimator = ChunkTokenEstimator()
        for character in text { estimator.add(character) }
        return estimator.total
    }

    /// Counts one more character.
    mutating func add(_ character: Character) {
        if character.isLetter || character.isNumber, !Self.isIdeographic(character) {
            wordLength += 1
            if Self.isDenseScript(character) { wordIsDense = true }
            return
        }
        closed += wordCost
        wordLength = 0
        wordIsDense = false
        if !character.isWhitespace { closed += 1 }
    }

    /// Whether `character` is Han, kana or Hangul: scripts where one character is about one token.
    static func isIdeographic(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x1100...0x11FF,  // Hangul Jamo
            0x2E80...0x2FDF,  // CJK radicals, Kangxi radicals
            0x3040...0x30FF,  // Hiragana, Katakana
            0x3130...0x318F,  // Hangul compatibility Jamo
            0x31F0...0x31FF,  // Katakana phonetic extensions
            0x3400...0x4DBF,  // CJK extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFF66...0xFF9F,  // half-width Katakana
            0x20000...0x3134F:  // CJK extensions B-G
            return true
        default:
            return false
        }
    }

    /// Whether `character` belongs to a script written without spaces between words (Thai, Lao, Myanmar, Khmer).
    private static func isDenseScript(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF:
            return true
        default:
            return false
        }
    }
}

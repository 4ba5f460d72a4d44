/// Finds text a reply must never reveal, such as the model's instructions, by shared runs of words.
///
/// The protected texts are cut into overlapping runs of `runLength` words (folded, punctuation ignored). A
/// reply leaks when it contains one of those runs: eight words in the same order are almost never a coincidence,
/// while short stock phrases ("a member of the team") are not flagged.
public struct LeakageDetector: Sendable {
    /// How many words in a row count as a leak.
    public let runLength: Int
    private let runs: Set<[String]>
    /// Every shorter run of protected words: text ending in one of these may be the start of a leak.
    private let beginnings: Set<[String]>
    private static let tokenizer = WordTokenizer(foldsDigits: false)

    /// Makes a detector for the given protected texts.
    public init(protecting texts: [String], runLength: Int = 8) {
        self.runLength = max(runLength, 2)
        var runs = Set<[String]>()
        var beginnings = Set<[String]>()
        for text in texts {
            let words = Self.words(text)
            guard words.count >= self.runLength else { continue }
            for start in 0...(words.count - self.runLength) {
                runs.insert(Array(words[start..<(start + self.runLength)]))
                for length in 1..<self.runLength { beginnings.insert(Array(words[start..<(start + length)])) }
            }
        }
        self.runs = runs
        self.beginnings = beginnings
    }

    /// How many of the last `words` could begin a protected run (0 when none could).
    public func leakBeginning(endingWith words: [String]) -> Int {
        guard !beginnings.isEmpty else { return 0 }
        for length in stride(from: min(words.count, runLength - 1), through: 1, by: -1)
        where beginnings.contains(Array(words.suffix(length))) {
            return length
        }
        return 0
    }

    /// Whether there is anything to protect.
    public var isEmpty: Bool { runs.isEmpty }

    /// The first protected run of words found in `text`, or nil.
    public func leakedRun(in text: String) -> String? {
        guard !runs.isEmpty else { return nil }
        let words = Self.words(text)
        guard words.count >= runLength else { return nil }
        for start in 0...(words.count - runLength) {
            let run = Array(words[start..<(start + runLength)])
            if runs.contains(run) { return run.joined(separator: " ") }
        }
        return nil
    }

    /// The words of `text` as runs compare them: folded as moderation folds text (case, zero-width and soft-hyphen
    /// characters, full-width forms, look-alike letters), so that a reply cannot hide a run from the check while
    /// showing it to the reader.
    static func words(_ text: String) -> [String] {
        tokenizer.tokens(ModerationNormalizer.fold(text))
    }
}

import Foundation
import Testing

@testable import ParleyAI

@Suite("BERT tokenizer")
struct TokenizerTests {
    private let basic = BasicTokenizer()

    @Test("splits on whitespace and punctuation, lowercasing")
    func splitsAndLowercases() {
        #expect(basic.tokenize("Hello, World!") == ["hello", ",", "world", "!"])
        #expect(basic.tokenize("  don't\tstop\n") == ["don", "'", "t", "stop"])
        #expect(basic.tokenize("$5^2~") == ["$", "5", "^", "2", "~"])
        #expect(basic.tokenize("") == [])
        #expect(basic.tokenize(" \t\r\n ") == [])
    }

    @Test("strips accents and isolates CJK ideographs")
    func accentsAndCJK() {
        #expect(basic.tokenize("Crème BRÛLÉE naïve") == ["creme", "brulee", "naive"])
        #expect(basic.tokenize("e\u{301}cole") == ["ecole"])
        #expect(basic.tokenize("中文abc字") == ["中", "文", "abc", "字"])
        #expect(basic.tokenize("「日本」") == ["「", "日", "本", "」"])
    }

    @Test("drops control and format characters, keeps symbols")
    func controlCharacters() {
        #expect(basic.tokenize("a\u{0}b\u{7}c\u{FFFD}d\u{200B}e\u{AD}f") == ["abcdef"])
        #expect(basic.tokenize("x\u{2028}y\u{A0}z") == ["x", "y", "z"])
        #expect(basic.tokenize("I ❤ Swift") == ["i", "❤", "swift"])
        #expect(basic.tokenize("a\u{E000}b \u{378}") == ["ab", "\u{378}"])  // private use dropped, unassigned kept
    }

    @Test("lowercases one scalar at a time, like the fast tokenizer")
    func lowercasing() {
        #expect(basic.tokenize("ΟΔΟΣ İı ẞ") == ["οδοσ", "iı", "ß"])
    }

    @Test("WordPiece takes the longest pieces and falls back to [UNK]")
    func wordPiece() throws {
        let vocabulary: [String: Int32] = ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "aff": 4, "##a": 5]
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary)
        var ids: [Int32] = []
        tokenizer.appendPieces(of: "unaffable", to: &ids)
        #expect(ids == [1, 2, 3])
        ids = []
        tokenizer.appendPieces(of: "unaffablex", to: &ids)
        #expect(ids == [0])
        ids = []
        tokenizer.appendPieces(of: String(repeating: "a", count: 101), to: &ids)
        #expect(ids == [0])
    }

    @Test("frames with [CLS] and [SEP] and truncates to the maximum length")
    func framingAndTruncation() throws {
        let vocabulary: [String: Int32] = ["[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "a": 4, ",": 5]
        let tokenizer = try BertTokenizer(vocabulary: vocabulary, maximumLength: 5)
        #expect(tokenizer.encode("") == [2, 3])
        #expect(tokenizer.encode("a, b") == [2, 4, 5, 1, 3])
        #expect(tokenizer.encode("a a a a a a a") == [2, 4, 4, 4, 3])
    }

    @Test(
        "matches HuggingFace token ids on tricky strings",
        .enabled(if: ModelLocator.directory != nil, Comment(rawValue: ModelLocator.skipReason)))
    func matchesHuggingFace() throws {
        let embedder = try #require(ModelLocator.embedder)
        for testCase in ReferenceFixture.shared.tokenizer {
            // sentence-transformers runs the fast tokenizer; where the Python BasicTokenizer differs (a final
            // capital sigma, unassigned code points), the fast ids are the ones the reference vectors come from.
            let expected = testCase.agree ? testCase.ids : testCase.fastIDs
            #expect(embedder.tokenIDs(testCase.text) == expected, "\(testCase.text.debugDescription)")
        }
    }

    @Test(
        "token counts match sentence-transformers on every reference sentence",
        .enabled(if: ModelLocator.directory != nil, Comment(rawValue: ModelLocator.skipReason)))
    func tokenCounts() throws {
        let embedder = try #require(ModelLocator.embedder)
        for embedding in ReferenceFixture.shared.embeddings {
            #expect(embedder.tokenIDs(embedding.text).count == embedding.tokens, "\(embedding.text.debugDescription)")
        }
    }
}

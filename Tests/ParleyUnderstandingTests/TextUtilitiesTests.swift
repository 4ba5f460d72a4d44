import Testing

@testable import ParleyUnderstanding

@Suite("Text utilities")
struct TextUtilitiesTests {
    @Test func normalizerFoldsWidthCaseAndWhitespace() {
        let normalizer = TextNormalizer()
        #expect(normalizer.normalize("  ＨＥＬＬＯ\t\n World  ") == "hello world")
        #expect(normalizer.normalize("") == "")
        #expect(TextNormalizer(stripsDiacritics: true).normalize("Café Ñandú") == "cafe nandu")
        #expect(normalizer.normalize("Café") == "café")
    }

    @Test("the key table finds what a dictionary finds, misses what it misses, and keeps a repeated key's last row")
    func keyTableAgreesWithDictionary() {
        var generator = SplitMix64(seed: 3)
        let keys = (0..<5_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) } + [0, 1, 2, 63, 64]
        var expected: [UInt64: Int32] = [:]
        var pairs: [(key: UInt64, row: Int32)] = []
        for (row, key) in keys.enumerated() {
            pairs.append((key, Int32(row)))
            expected[key] = Int32(row)
        }
        pairs.append((keys[10], 99_999))
        expected[keys[10]] = 99_999
        let table = KeyTable(pairs)
        for key in keys { #expect(table.row(key) == expected[key]) }
        for _ in 0..<5_000 {
            let absent = UInt64.random(in: 0...UInt64.max, using: &generator)
            #expect(table.row(absent) == expected[absent])
        }
        #expect(KeyTable([]).row(42) == nil)
    }

    @Test("the normaliser and tokenizer, which build UTF-8 bytes, handle every kind of scalar")
    func normalizerAndTokenizerOnMixedScripts() {
        let normalizer = TextNormalizer()
        #expect(
            normalizer.normalize("ÉCOLE Straße İstanbul ΑΘΗΝΑ Ｔｏｋｙｏ a\u{200D}x")
                == "école straße i\u{307}stanbul αθηνα tokyo a\u{200D}x")
        let tokens = WordTokenizer().tokens("don't call 0800-123 about café №5 東京 ok")
        #expect(tokens == ["don't", "call", "0000", "000", "about", "café", "0", "東", "京", "ok"])
    }

    @Test func normalizerBoundsVeryLongInput() {
        let normalizer = TextNormalizer(maximumScalars: 10)
        #expect(normalizer.normalize(String(repeating: "a", count: 100)).count == 10)
    }

    @Test func tokenizerKeepsContractionsAndFoldsDigits() {
        let tokenizer = WordTokenizer()
        #expect(tokenizer.tokens("don't pay order 12345!") == ["don't", "pay", "order", "00000"])
        #expect(WordTokenizer(foldsDigits: false).tokens("a1 b2") == ["a1", "b2"])
        #expect(tokenizer.tokens("...") == [])
        #expect(tokenizer.tokens("'quoted'") == ["quoted"])
    }

    @Test func tokenizerSplitsUnsegmentedScripts() {
        #expect(WordTokenizer().tokens("我喜欢 pizza") == ["我", "喜", "欢", "pizza"])
    }

    @Test func characterNGramsArePaddedAndBounded() {
        let grams = CharacterNGrams(minimumLength: 2, maximumLength: 3).grams("ab")
        #expect(grams == [" a", " ab", "ab", "ab ", "b "])
        var hashes: [UInt64] = []
        CharacterNGrams(minimumLength: 2, maximumLength: 3).forEachHash("ab", seed: 1) { hashes.append($0) }
        #expect(hashes.count == grams.count)
        #expect(Set(hashes).count == hashes.count)
    }

    @Test func hashingIsStableAndSeeded() {
        #expect(FeatureHasher.hash("card", seed: 1) == FeatureHasher.hash("card", seed: 1))
        #expect(FeatureHasher.hash("card", seed: 1) != FeatureHasher.hash("card", seed: 2))
        #expect(FeatureHasher.hash("card", seed: 1) != FeatureHasher.hash("cards", seed: 1))
        // Pinned so that a change to the hash (which would invalidate stored models) fails loudly.
        #expect(FeatureHasher.hash("", seed: 0) == FeatureHasher.finalize(FeatureHasher.offsetBasis))
    }

    @Test func sparseVectorMergesAndNormalizes() {
        let vector = SparseVector(indices: [3, 1, 3], values: [1, 2, 2]).sortedAndMerged()
        #expect(vector.indices == [1, 3])
        #expect(vector.values == [2, 3])
        let unit = SparseVector(indices: [0, 1], values: [3, 4]).normalized()
        #expect(abs(unit.norm - 1) < 1e-6)
        #expect(SparseVector().normalized().count == 0)
    }

    @Test func scriptClassifierRecognisesScripts() {
        #expect(ScriptClassifier.script(of: "a") == .latin)
        #expect(ScriptClassifier.script(of: "ж") == .cyrillic)
        #expect(ScriptClassifier.script(of: "ا") == .arabic)
        #expect(ScriptClassifier.script(of: "か") == .kana)
        #expect(ScriptClassifier.script(of: "字") == .han)
        #expect(ScriptClassifier.script(of: "한") == .hangul)
        #expect(ScriptClassifier.script(of: "ก") == .thai)
        #expect(ScriptClassifier.script(of: "7") == nil)
        #expect(ScriptClassifier.script(of: "😀") == nil)
        #expect(ScriptClassifier.histogram("ab 字")[.latin] == 2)
    }
}

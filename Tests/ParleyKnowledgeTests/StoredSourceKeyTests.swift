import ParleyKnowledge
import Testing

@Suite("Stored source keys")
struct StoredSourceKeyTests {
    @Test("a key up to the limit is stored as it is")
    func shortKeys() {
        #expect(StoredSourceKey.of("faq:How long does shipping take?") == "faq:How long does shipping take?")
        let limit = String(repeating: "k", count: StoredSourceKey.maxBytes)
        #expect(StoredSourceKey.of(limit) == limit)
    }

    @Test("a longer key is bounded, kept whole in characters, the same each time, and unique to the key")
    func longKeys() {
        let base = String(repeating: "問題", count: 400)  // 2,400 bytes
        let stored = StoredSourceKey.of(base + "一")
        #expect(stored.utf8.count <= StoredSourceKey.maxBytes)
        #expect(stored.hasPrefix("問題問題"))
        #expect(stored == StoredSourceKey.of(base + "一"))
        #expect(stored != StoredSourceKey.of(base + "二"), "keys sharing their first kilobyte still differ")
        let emoji = StoredSourceKey.of(String(repeating: "😀", count: 1_000))
        #expect(emoji.utf8.count <= StoredSourceKey.maxBytes)
        #expect(emoji.unicodeScalars.allSatisfy { $0 == "😀" || $0 == "#" || $0.properties.isASCIIHexDigit })
    }
}

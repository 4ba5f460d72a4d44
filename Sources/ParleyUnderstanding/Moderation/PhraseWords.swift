/// The words a phrase rule reads: each word's UTF-8 bytes and their hash, computed once per text for every rule.
struct PhraseWords: Sendable {
    let bytes: [[UInt8]]
    let hashes: [UInt64]

    /// The words of a normalised text.
    init(_ words: [String]) {
        bytes = words.map { Array($0.utf8) }
        hashes = bytes.map { Self.hash($0[...]) }
    }

    var count: Int { bytes.count }
    var indices: Range<Int> { bytes.indices }

    /// FNV-1a of the bytes.
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}

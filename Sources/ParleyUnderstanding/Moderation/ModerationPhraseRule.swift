/// A phrase rule over normalised words: an ordered list of slots, each a set of alternatives, with a bounded
/// number of other words allowed between consecutive slots.
///
/// Alternatives are written `ignore|disregard|forget*`: `*` marks a prefix (stem) match, and an alternative
/// with spaces (`system prompt`) must match consecutive words. Matching is bounded by
/// words × slots × (gap + 1), so there is no backtracking blow-up.
struct ModerationPhraseRule<Category: Sendable & Hashable>: Sendable {
    /// A stable identifier reported in assessments.
    let id: String
    /// What the rule indicates.
    let category: Category
    /// Evidence weight; an assessment flags at a total of 1.0.
    let weight: Double
    private let slots: [Slot]
    private let gap: Int

    /// One position of the phrase: multi-word alternatives first (longest match), then a hashed set of exact
    /// single words, then stems; plus a first-byte mask that rejects most words at once.
    private struct Slot: Sendable {
        var multiWord: [[Alternative]] = []
        /// Exact single words with their hashes (``PhraseWords/hash(_:)``): a slot holds a handful, so a scan that
        /// compares hashes first beats hashing the word into a set once per rule.
        var singles: [(hash: UInt64, bytes: [UInt8])] = []
        var stems: [[UInt8]] = []
        var firstBytes = [Bool](repeating: false, count: 256)

        init(_ text: String) {
            for alternative in text.split(separator: "|") {
                let words = alternative.split(separator: " ").map { word in
                    word.hasSuffix("*") ? Alternative.prefix(Array(word.dropLast().utf8)) : .exact(Array(word.utf8))
                }
                switch words.first {
                case .exact(let bytes), .prefix(let bytes):
                    if let byte = bytes.first {
                        firstBytes[Int(byte)] = true
                    } else {
                        firstBytes = [Bool](repeating: true, count: 256)
                    }
                case nil:
                    continue
                }
                if words.count > 1 {
                    multiWord.append(words)
                } else if case .exact(let bytes) = words[0] {
                    if !singles.contains(where: { $0.bytes == bytes }) {
                        singles.append((PhraseWords.hash(bytes[...]), bytes))
                    }
                } else if case .prefix(let bytes) = words[0] {
                    stems.append(bytes)
                }
            }
        }

        /// Returns the index after this slot's match at `position`, if it matches there.
        @inline(__always)
        func match(_ words: PhraseWords, at position: Int) -> Int? {
            let word = words.bytes[position]
            guard let byte = word.first, firstBytes[Int(byte)] else { return nil }
            for alternative in multiWord where position + alternative.count <= words.count {
                var matched = true
                for (offset, part) in alternative.enumerated() where !part.matches(words.bytes[position + offset]) {
                    matched = false
                    break
                }
                if matched { return position + alternative.count }
            }
            let hash = words.hashes[position]
            for single in singles where single.hash == hash && single.bytes == word { return position + 1 }
            for stem in stems where word.count >= stem.count && word.starts(with: stem) { return position + 1 }
            return nil
        }
    }

    private enum Alternative: Sendable {
        case exact([UInt8])
        case prefix([UInt8])

        @inline(__always)
        func matches(_ word: [UInt8]) -> Bool {
            switch self {
            case .exact(let value): return word == value
            case .prefix(let value): return word.count >= value.count && word.starts(with: value)
            }
        }
    }

    /// Creates a rule from slot strings such as `"ignore|disregard*"`.
    init(_ id: String, _ category: Category, _ weight: Double, gap: Int = 3, _ slots: [String]) {
        self.id = id
        self.category = category
        self.weight = weight
        self.gap = gap
        self.slots = slots.map(Slot.init)
    }

    /// Returns true if the words contain the phrase.
    func matches(_ words: PhraseWords) -> Bool {
        guard let first = slots.first else { return false }
        for start in words.indices {
            if let end = first.match(words, at: start), matchRest(1, words, from: end) { return true }
        }
        return false
    }

    private func matchRest(_ slotIndex: Int, _ words: PhraseWords, from position: Int) -> Bool {
        guard slotIndex < slots.count else { return true }
        let limit = min(words.count, position + gap + 1)
        var index = position
        while index < limit {
            if let end = slots[slotIndex].match(words, at: index) {
                return matchRest(slotIndex + 1, words, from: end)
            }
            index += 1
        }
        return false
    }
}

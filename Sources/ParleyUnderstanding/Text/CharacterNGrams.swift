/// Extracts character n-grams from text, as strings or as stable hashes.
///
/// The text is padded with one space at each end, so word boundaries show up in n-grams (` th`, `he `).
public struct CharacterNGrams: Sendable, Codable, Hashable {
    /// Shortest n-gram length, in Unicode scalars.
    public var minimumLength: Int
    /// Longest n-gram length, in Unicode scalars.
    public var maximumLength: Int

    /// Creates an extractor for lengths `minimumLength...maximumLength` (clamped to at least 1).
    public init(minimumLength: Int, maximumLength: Int) {
        self.minimumLength = max(1, minimumLength)
        self.maximumLength = max(self.minimumLength, maximumLength)
    }

    /// Returns the n-grams of `text` as strings, in order of start position then length.
    public func grams(_ text: String) -> [String] {
        let scalars = Self.padded(text)
        var output: [String] = []
        for start in scalars.indices {
            for length in minimumLength...maximumLength where start + length <= scalars.count {
                output.append(String(String.UnicodeScalarView(scalars[start..<(start + length)])))
            }
        }
        return output
    }

    /// Calls `body` with the hash of every n-gram of `text` in namespace `seed`, without allocating strings.
    public func forEachHash(_ text: String, seed: UInt64, _ body: (UInt64) -> Void) {
        let scalars = Self.padded(text)
        let base = FeatureHasher.start(seed: seed)
        for start in scalars.indices {
            var state = base
            var length = 0
            while length < maximumLength, start + length < scalars.count {
                state = FeatureHasher.combine(state, scalars[start + length].value)
                length += 1
                if length >= minimumLength {
                    // Mix the length in, so `ab` as a whole gram never equals a prefix state of another.
                    body(FeatureHasher.finalize(state &+ UInt64(length)))
                }
            }
        }
    }

    /// Returns the scalars of `text` with one space before and after; runs of spaces collapse to one.
    static func padded(_ text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = [" "]
        scalars.reserveCapacity(text.unicodeScalars.count + 2)
        for scalar in text.unicodeScalars {
            if scalar == " ", scalars.last == " " { continue }
            scalars.append(scalar)
        }
        if scalars.last != " " { scalars.append(" ") }
        return scalars
    }
}

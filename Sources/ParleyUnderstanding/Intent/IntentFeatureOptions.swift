/// Which features the intent featurizer extracts and how it weights them.
public struct IntentFeatureOptions: Sendable, Codable, Hashable {
    /// Word n-gram lengths (1 = unigrams, 2 = bigrams).
    public var wordNGramLengths: ClosedRange<Int>
    /// Character n-gram lengths, counted in Unicode scalars over the normalised text.
    public var characterNGramLengths: ClosedRange<Int>
    /// Relative weight of the word block against the character block (both are L2-normalised first).
    public var wordWeight: Float
    /// Word pairs up to this many positions apart (skipping at least one word) become features too, so `card …
    /// arrive` counts even with words between; 0 disables them.
    public var skipBigramWindow: Int
    /// Features seen in fewer training utterances than this are dropped.
    public var minimumDocumentFrequency: Int

    /// Creates feature options.
    public init(
        wordNGramLengths: ClosedRange<Int> = 1...2,
        characterNGramLengths: ClosedRange<Int> = 2...5,
        wordWeight: Float = 1.0,
        skipBigramWindow: Int = 0,
        minimumDocumentFrequency: Int = 1
    ) {
        self.skipBigramWindow = skipBigramWindow
        self.wordNGramLengths = wordNGramLengths
        self.characterNGramLengths = characterNGramLengths
        self.wordWeight = wordWeight
        self.minimumDocumentFrequency = minimumDocumentFrequency
    }
}

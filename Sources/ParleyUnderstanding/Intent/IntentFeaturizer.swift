import Foundation

/// Turns an utterance into a TF-IDF weighted, L2-normalised sparse vector of hashed word n-grams and
/// character n-grams.
///
/// Features are identified by a stable 64-bit hash (``FeatureHasher``), and only features seen during
/// ``fit(_:options:)`` get a column, so the stored model holds no hash-collision buckets that no tenant uses.
public struct IntentFeaturizer: Sendable {
    /// The settings the featurizer was fitted with.
    public let options: IntentFeatureOptions
    /// Feature hashes, word features first; position is the column index.
    let hashes: [UInt64]
    /// Inverse document frequency per column.
    let idf: [Float]
    /// Columns below this index hold word features; the rest hold character features.
    let wordColumnCount: Int
    /// Hash to column lookup, rebuilt from ``hashes``.
    let columns: KeyTable

    private static let normalizer = TextNormalizer()
    private static let tokenizer = WordTokenizer()
    private static let wordSeed: UInt64 = 0x5701
    private static let characterSeed: UInt64 = 0xC4A2
    private static let skipSeed: UInt64 = 0x5B1F

    /// The number of columns (features) in the vectors this featurizer produces.
    public var dimension: Int { hashes.count }

    init(options: IntentFeatureOptions, hashes: [UInt64], idf: [Float], wordColumnCount: Int) {
        self.options = options
        self.hashes = hashes
        self.idf = idf
        self.wordColumnCount = wordColumnCount
        self.columns = KeyTable(hashes.enumerated().map { ($1, Int32($0)) })
    }

    /// Learns the vocabulary and IDF weights from `texts` and returns the featurizer with every text's vector.
    public static func fit(_ texts: [String], options: IntentFeatureOptions) -> (IntentFeaturizer, [SparseVector]) {
        let counted = texts.map { countedHashes($0, options: options) }
        var wordFrequency: [UInt64: Int32] = [:]
        var characterFrequency: [UInt64: Int32] = [:]
        for entry in counted {
            for (hash, _) in entry.words { wordFrequency[hash, default: 0] += 1 }
            for (hash, _) in entry.characters { characterFrequency[hash, default: 0] += 1 }
        }
        let minimum = Int32(max(1, options.minimumDocumentFrequency))
        let wordHashes = wordFrequency.filter { $0.value >= minimum }.keys.sorted()
        let characterHashes = characterFrequency.filter { $0.value >= minimum }.keys.sorted()
        let documents = Float(texts.count)
        func inverseFrequency(_ frequency: Int32) -> Float {
            log((1 + documents) / (1 + Float(frequency))) + 1
        }
        let idf =
            wordHashes.map { inverseFrequency(wordFrequency[$0]!) }
            + characterHashes.map { inverseFrequency(characterFrequency[$0]!) }
        let featurizer = IntentFeaturizer(
            options: options,
            hashes: wordHashes + characterHashes,
            idf: idf,
            wordColumnCount: wordHashes.count
        )
        return (featurizer, counted.map { featurizer.vector(from: $0) })
    }

    /// Returns the feature vector of `text`; features never seen in training are ignored.
    public func vector(_ text: String) -> SparseVector {
        vector(from: Self.countedHashes(text, options: options))
    }

    private func vector(from counted: CountedHashes) -> SparseVector {
        var indices: [Int32] = []
        var values: [Float] = []
        indices.reserveCapacity(counted.words.count + counted.characters.count)
        values.reserveCapacity(counted.words.count + counted.characters.count)
        func append(_ block: [(UInt64, Int32)], weight: Float) {
            let start = values.count
            var squared: Float = 0
            for (hash, count) in block {
                guard let column = columns.row(hash) else { continue }
                let value = (1 + log(Float(count))) * idf[Int(column)]
                indices.append(column)
                values.append(value)
                squared += value * value
            }
            guard squared > 0 else { return }
            let scale = weight / squared.squareRoot()
            for position in start..<values.count { values[position] *= scale }
        }
        append(counted.words, weight: options.wordWeight)
        append(counted.characters, weight: 1)
        return SparseVector(indices: indices, values: values).normalized()
    }

    /// Hashes with their counts, per block.
    struct CountedHashes {
        var words: [(UInt64, Int32)]
        var characters: [(UInt64, Int32)]
    }

    private static func countedHashes(_ text: String, options: IntentFeatureOptions) -> CountedHashes {
        let normalized = normalizer.normalize(text)
        let tokens = tokenizer.tokens(normalized)
        var words: [UInt64] = []
        let tokenHashes = tokens.map { FeatureHasher.hash($0, seed: wordSeed) }
        for length in options.wordNGramLengths where length >= 1 {
            guard tokenHashes.count >= length else { continue }
            for start in 0...(tokenHashes.count - length) {
                var state = FeatureHasher.start(seed: wordSeed &+ UInt64(length))
                for offset in 0..<length {
                    state = FeatureHasher.finalize(state ^ tokenHashes[start + offset]) &* FeatureHasher.prime
                }
                words.append(FeatureHasher.finalize(state))
            }
        }
        if options.skipBigramWindow >= 2 {
            for first in tokenHashes.indices {
                let last = min(tokenHashes.count - 1, first + options.skipBigramWindow)
                guard first + 2 <= last else { continue }
                for second in (first + 2)...last {
                    let state = FeatureHasher.finalize(FeatureHasher.start(seed: skipSeed) ^ tokenHashes[first])
                    words.append(FeatureHasher.finalize((state &* FeatureHasher.prime) ^ tokenHashes[second]))
                }
            }
        }
        var characters: [UInt64] = []
        let extractor = CharacterNGrams(
            minimumLength: options.characterNGramLengths.lowerBound,
            maximumLength: options.characterNGramLengths.upperBound
        )
        // Character n-grams run over the tokens joined by single spaces, so punctuation does not split grams.
        extractor.forEachHash(tokens.joined(separator: " "), seed: characterSeed) { characters.append($0) }
        return CountedHashes(words: runLengths(words), characters: runLengths(characters))
    }

    private static func runLengths(_ values: [UInt64]) -> [(UInt64, Int32)] {
        guard !values.isEmpty else { return [] }
        let sorted = values.sorted()
        var output: [(UInt64, Int32)] = []
        output.reserveCapacity(sorted.count)
        var current = sorted[0]
        var count: Int32 = 0
        for value in sorted {
            if value == current {
                count += 1
            } else {
                output.append((current, count))
                current = value
                count = 1
            }
        }
        output.append((current, count))
        return output
    }
}

extension IntentFeaturizer: Codable {
    private enum CodingKeys: String, CodingKey {
        case options, hashes, idf, wordColumnCount
    }

    /// Decodes a featurizer stored by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            options: try container.decode(IntentFeatureOptions.self, forKey: .options),
            hashes: try BinaryArray.decode([UInt64].self, from: container.decode(Data.self, forKey: .hashes)),
            idf: try BinaryArray.decode([Float].self, from: container.decode(Data.self, forKey: .idf)),
            wordColumnCount: try container.decode(Int.self, forKey: .wordColumnCount)
        )
    }

    /// Encodes the vocabulary compactly (little-endian binary in a `Data`, base64 in JSON).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(options, forKey: .options)
        try container.encode(BinaryArray.encode(hashes), forKey: .hashes)
        try container.encode(BinaryArray.encode(idf), forKey: .idf)
        try container.encode(wordColumnCount, forKey: .wordColumnCount)
    }
}

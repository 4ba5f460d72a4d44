import Foundation
import ParleyUnderstanding

/// A synthetic knowledge base for retrieval benchmarks, with the structure real ones have: each chunk belongs to a
/// topic, which lends it words of its own (among Zipf-distributed common words) and a direction in vector space.
///
/// Questions take a few of their chunk's topic words and content words (not function words), and a vector near their
/// chunk's, so full-text and vector search both have real work to do: content words match thousands of chunks, and
/// nearest neighbours stand out from a crowd rather than from noise. Everything follows from the seed.
struct SyntheticCorpus {
    /// One chunk: its words and unit vector.
    struct Chunk {
        var title: String
        var text: String
        var vector: [Float]
    }

    /// One question about a chunk.
    struct Question {
        var text: String
        var vector: [Float]
        var chunk: Int
    }

    let dimensions: Int
    private(set) var chunks: [Chunk] = []
    private let vocabulary: [String]
    private let cumulative: [Double]
    private let topicWords: [[String]]
    private let centroids: [[Float]]
    private var generator: SplitMix64

    /// Words in the general vocabulary.
    static let vocabularySize = 20_000
    /// English function words, the commonest ranks of the vocabulary.
    static let functionWords = [
        "the", "of", "and", "to", "a", "in", "is", "you", "that", "it", "for", "on", "with", "as", "are", "be",
        "this", "was", "have", "or", "by", "at", "not", "from", "but", "can", "your", "an", "will", "all", "we",
        "if", "they", "their", "has", "more", "one", "there", "which", "when", "so", "what", "out", "up", "about",
        "who", "do", "its", "would", "also", "into", "than", "them", "only", "other", "any", "new", "some", "these",
        "may", "our", "then", "how", "after", "were", "should", "been", "most", "over", "such", "where", "use",
        "each", "through", "me", "just", "us", "here", "between", "both", "many", "must", "very", "those", "while",
        "under", "same", "being", "before", "during", "because", "without", "again", "own", "does", "did", "off",
        "few", "why", "could",
    ]

    /// Words of each topic's own.
    static let wordsPerTopic = 40
    /// Words per chunk.
    static let wordsPerChunk = 100

    /// Makes `count` chunks over `topics` topics, with vectors of `dimensions`.
    init(chunks count: Int, dimensions: Int, topics: Int = 1_000, seed: UInt64 = 42) {
        self.dimensions = dimensions
        generator = SplitMix64(seed: seed)
        // As in real text, the commonest words are function words (about half of all words, by Zipf's law); the
        // rest are pseudo-words.
        let function = Self.functionWords
        vocabulary = (0..<Self.vocabularySize).map { $0 < function.count ? function[$0] : Self.word($0) }
        var total = 0.0
        cumulative = (1...Self.vocabularySize).map { rank in
            total += 1 / Double(rank)
            return total
        }
        var random = generator
        topicWords = (0..<topics).map { _ in
            (0..<Self.wordsPerTopic).map { _ in Self.word(Int.random(in: 500..<Self.vocabularySize, using: &random)) }
        }
        centroids = (0..<topics).map { _ in Self.unit(Self.gaussian(dimensions, scale: 1, using: &random)) }
        generator = random
        chunks.reserveCapacity(count)
        for index in 0..<count {
            let topic = index % topics
            var words: [String] = []
            words.reserveCapacity(Self.wordsPerChunk)
            for _ in 0..<Self.wordsPerChunk {
                words.append(
                    Double.random(in: 0..<1, using: &generator) < 0.25
                        ? topicWords[topic].randomElement(using: &generator)! : commonWord())
            }
            let noise = Self.gaussian(dimensions, scale: 1 / Double(dimensions).squareRoot(), using: &generator)
            chunks.append(
                Chunk(
                    title: "Topic \(topic), part \(index / topics)", text: words.joined(separator: " "),
                    vector: Self.unit(zip(centroids[topic], noise).map { $0 + $1 })))
        }
    }

    /// `count` questions, each about a chunk picked at random.
    mutating func questions(_ count: Int) -> [Question] {
        (0..<count).map { _ in
            let chunk = Int.random(in: 0..<chunks.count, using: &generator)
            let topic = chunk % topicWords.count
            let function = Set(Self.functionWords)
            let own = chunks[chunk].text.split(separator: " ").filter { !function.contains(String($0)) }
            let words =
                ["how", "do", "i"] + (0..<2).map { _ in topicWords[topic].randomElement(using: &generator)! }
                + (0..<2).map { _ in String(own.randomElement(using: &generator)!) }
            let noise = Self.gaussian(dimensions, scale: 0.5 / Double(dimensions).squareRoot(), using: &generator)
            return Question(
                text: words.joined(separator: " ") + "?",
                vector: Self.unit(zip(chunks[chunk].vector, noise).map { $0 + $1 }), chunk: chunk)
        }
    }

    /// A word drawn by Zipf's law over the vocabulary.
    private mutating func commonWord() -> String {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &generator)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return vocabulary[low]
    }

    /// The `index`th pseudo-word: syllables of a consonant and a vowel (one-syllable words end in `q`), so no word is
    /// an English stop word and no two words are the same.
    private static func word(_ index: Int) -> String {
        let consonants = Array("bdfgklmnprtvz")
        let vowels = Array("aeiou")
        let syllables = consonants.count * vowels.count
        var rest = index
        var word = ""
        repeat {
            let syllable = rest % syllables
            word.append(consonants[syllable / vowels.count])
            word.append(vowels[syllable % vowels.count])
            rest /= syllables
        } while rest > 0
        return word.count < 4 ? word + "q" : word
    }

    private static func gaussian(_ count: Int, scale: Double, using generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            let v = Double.random(in: 0..<1, using: &generator)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v) * scale)
        }
    }

    private static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}

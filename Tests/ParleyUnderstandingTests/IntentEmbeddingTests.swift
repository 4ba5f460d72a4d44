import Foundation
import Testing

@testable import ParleyUnderstanding

/// Sentence embeddings beside n-grams: vectors here are made up, so what the classifier learns from them is known.
@Suite("Intent classifier with sentence embeddings")
struct IntentEmbeddingTests {
    /// Two intents whose examples share every word; only their (made-up) meaning vectors tell them apart.
    static let examples = [
        "please help me with this", "help me with this please", "I need help with this", "can you help with this",
    ].flatMap { text in
        [IntentExample(text: text, intent: "billing"), IntentExample(text: text, intent: "shipping")]
    }

    /// A unit vector near axis 0 for billing and near axis 1 for shipping, with a little per-example noise.
    static func meaning(_ intent: String, wobble: Float) -> [Float] {
        var vector: [Float] = [0.1 * wobble, 0.1 * wobble, 0.05, 0.02]
        vector[intent == "billing" ? 0 : 1] = 1
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / length }
    }

    static let vectors = examples.enumerated().map { position, example in
        meaning(example.intent, wobble: Float(position % 3))
    }

    static let classifier = IntentClassifier.train(
        examples, embeddings: vectors, embeddingModel: "toy-4", options: IntentTrainingOptions(epochs: 30))

    @Test("the embedding decides where the words cannot, and records which model it came from")
    func embeddingSeparatesIdenticalTexts() {
        let block = Self.classifier.embedding
        #expect(block?.model == "toy-4")
        #expect(block?.dimensions == 4)
        #expect(block?.firstColumn == Self.classifier.featurizer.dimension)
        #expect(Self.classifier.model.dimension == Self.classifier.featurizer.dimension + 4)
        let text = "please help me with this"
        let billing = Self.classifier.predict(text, embedding: Self.meaning("billing", wobble: 1))
        let shipping = Self.classifier.predict(text, embedding: Self.meaning("shipping", wobble: 1))
        #expect(billing.intent == "billing")
        #expect(shipping.intent == "shipping")
        #expect(billing.confidence > 0.8)

        // The same text with no vector, a vector of the wrong size, or a zero vector: the n-grams alone cannot
        // choose, so neither intent is confident.
        for missing: [Float]? in [nil, [1, 0, 0], [0, 0, 0, 0], [.nan, 0, 0, 1]] {
            let unsure = Self.classifier.predict(text, embedding: missing)
            #expect(unsure.confidence < 0.7, "no usable vector: \(String(describing: missing))")
        }
    }

    @Test("the block survives storage, and a model trained on words alone has none")
    func storedAndAbsent() throws {
        let stored = try JSONDecoder().decode(
            IntentClassifier.self, from: JSONEncoder().encode(Self.classifier))
        #expect(stored.embedding == Self.classifier.embedding)
        let vector = Self.meaning("shipping", wobble: 2)
        #expect(stored.predict("help me with this", embedding: vector).intent == "shipping")

        let wordsOnly = IntentClassifier.train(Self.examples, options: IntentTrainingOptions(epochs: 30))
        #expect(wordsOnly.embedding == nil)
        #expect(wordsOnly.model.dimension == wordsOnly.featurizer.dimension)
        // An embedding given to a words-only classifier changes nothing.
        #expect(
            wordsOnly.probabilities("help me", embedding: vector) == wordsOnly.probabilities("help me", embedding: nil))
    }

    @Test("embeddings that do not match the examples are ignored rather than misaligned")
    func mismatchedEmbeddingsAreIgnored() {
        let tooFew = IntentClassifier.train(
            Self.examples, embeddings: Array(Self.vectors.dropLast()), embeddingModel: "toy-4")
        #expect(tooFew.embedding == nil)
        var ragged = Self.vectors
        ragged[3] = [1, 0]
        #expect(IntentClassifier.train(Self.examples, embeddings: ragged, embeddingModel: "toy-4").embedding == nil)

        // Examples with empty text are dropped together with their vectors, so the rest stay aligned.
        let withBlank = [IntentExample(text: "", intent: "billing")] + Self.examples
        let blankVector = [Self.meaning("shipping", wobble: 0)]
        let aligned = IntentClassifier.train(
            withBlank, embeddings: blankVector + Self.vectors, embeddingModel: "toy-4",
            options: IntentTrainingOptions(epochs: 30))
        #expect(aligned.predict("help me", embedding: Self.meaning("billing", wobble: 1)).intent == "billing")
    }
}

import Foundation
import Testing

@testable import ParleyUnderstanding

@Suite("Intent classifier")
struct IntentClassifierTests {
    static let examples: [IntentExample] = {
        let data: [String: [String]] = [
            "track_order": [
                "where is my order", "track my package", "my parcel has not arrived", "when will my order arrive",
                "has my order shipped yet", "tracking number for my delivery",
            ],
            "refund": [
                "i want my money back", "refund my purchase", "how do i get a refund", "return this item for a refund",
                "please reimburse me", "can i get my money returned",
            ],
            "reset_password": [
                "i forgot my password", "reset my password", "cannot log in to my account", "change my login password",
                "locked out of my account", "password reset link not working",
            ],
        ]
        return data.flatMap { intent, texts in texts.map { IntentExample(text: $0, intent: intent) } }
            .sorted { $0.text < $1.text }
    }()

    static let classifier = IntentClassifier.train(examples, options: IntentTrainingOptions(epochs: 30))

    @Test func predictsTrainedIntentsOnParaphrases() {
        #expect(Self.classifier.predict("where's my package?").intent == "track_order")
        #expect(Self.classifier.predict("I would like a refund please").intent == "refund")
        #expect(Self.classifier.predict("forgot password, can't log in").intent == "reset_password")
    }

    @Test func confidenceIsAProbability() {
        let prediction = Self.classifier.predict("refund please")
        #expect(prediction.confidence > 0 && prediction.confidence <= 1)
        let total = Self.classifier.probabilities("refund please").reduce(0, +)
        #expect(abs(total - 1) < 1e-6)
        #expect(prediction.alternatives.first?.intent == prediction.bestIntent)
    }

    @Test func thresholdTurnsLowConfidenceIntoOutOfScope() {
        let text = "what is the weather on mars"
        let strict = Self.classifier.predict(text, threshold: 0.99)
        #expect(strict.intent == IntentPrediction.outOfScope)
        #expect(strict.isOutOfScope)
        #expect(strict.bestIntent != IntentPrediction.outOfScope)
        let lenient = Self.classifier.predict(text, threshold: 0)
        #expect(!lenient.isOutOfScope)
        var tuned = Self.classifier
        tuned.outOfScopeThreshold = 1.01
        #expect(tuned.predict("where is my order").isOutOfScope)
    }

    @Test func trainedOutOfScopeClassMapsToOutOfScope() {
        var examples = Self.examples
        for text in ["tell me a joke", "what is the capital of france", "play some music", "how tall is everest"] {
            examples.append(IntentExample(text: text, intent: "oos"))
        }
        let classifier = IntentClassifier.train(
            examples, options: IntentTrainingOptions(epochs: 30, outOfScopeLabels: ["oos"]))
        #expect(classifier.predict("tell me a funny joke").intent == IntentPrediction.outOfScope)
        #expect(!classifier.intents.contains("oos"))
    }

    @Test func codableRoundTripPreservesPredictions() throws {
        let data = try JSONEncoder().encode(Self.classifier)
        let decoded = try JSONDecoder().decode(IntentClassifier.self, from: data)
        for text in ["where is my order", "refund", "password", "", "what is the weather on mars"] {
            let original = Self.classifier.probabilities(text)
            let restored = decoded.probabilities(text)
            #expect(zip(original, restored).allSatisfy { abs($0 - $1) < 0.01 }, "\(text)")
            #expect(decoded.predict(text).bestIntent == Self.classifier.predict(text).bestIntent)
        }
        // Encoding the decoded model again is stable (quantisation is idempotent).
        let again = try JSONDecoder().decode(IntentClassifier.self, from: JSONEncoder().encode(decoded))
        #expect(zip(again.probabilities("refund"), decoded.probabilities("refund")).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(decoded.outOfScopeThreshold == Self.classifier.outOfScopeThreshold)
    }

    @Test func corruptModelFailsToDecode() throws {
        let data = try JSONEncoder().encode(Self.classifier)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(object["model"] as? [String: Any])
        model["dimension"] = 3
        object["model"] = model
        let corrupted = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(IntentClassifier.self, from: corrupted) }
    }

    @Test func handlesEmptyHugeAndEmojiInput() {
        let empty = Self.classifier.predict("")
        #expect(empty.confidence.isFinite)
        let emoji = String(repeating: "😡", count: 2_048)  // 8 KB of UTF-8
        #expect(emoji.utf8.count == 8_192)
        let prediction = Self.classifier.predict(emoji)
        #expect(prediction.confidence.isFinite)
        #expect(Self.classifier.predict("🙂 where is my order 📦").intent == "track_order")
    }

    @Test func degenerateTrainingSetsStillPredict() {
        let single = IntentClassifier.train([IntentExample(text: "hello", intent: "greet")])
        #expect(single.predict("anything").intent == "greet")
        #expect(single.predict("anything", threshold: 2).isOutOfScope)
        let none = IntentClassifier.train([])
        #expect(none.predict("anything").isOutOfScope)
    }

    @Test func trainingIsDeterministic() {
        let again = IntentClassifier.train(Self.examples, options: IntentTrainingOptions(epochs: 30))
        #expect(again.probabilities("refund my order") == Self.classifier.probabilities("refund my order"))
    }
}

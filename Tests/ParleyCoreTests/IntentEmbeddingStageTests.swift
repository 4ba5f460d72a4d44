import ParleyAI
import ParleyCore
import ParleyStages
import ParleyUnderstanding
import Testing

/// An embedder that knows a few synonyms: words about bills point one way, words about parcels another.
private struct SynonymEmbedder: EmbeddingProvider {
    var model = "synonyms-3"
    let dimensions = 3
    var fails = false

    struct Down: Error {}

    func embed(_ texts: [String]) async throws -> [[Float]] {
        if fails { throw Down() }
        return texts.map { text in
            let words = Set(text.lowercased().split { !$0.isLetter })
            if !words.isDisjoint(with: ["invoice", "bill", "charge"]) { return [1, 0, 0.1] }
            if !words.isDisjoint(with: ["parcel", "package", "courier"]) { return [0, 1, 0.1] }
            return [0, 0, 1]
        }
    }
}

@Suite("Intent stage with sentence embeddings")
struct IntentEmbeddingStageTests {
    static let examples = [
        ("billing", ["question about my invoice", "my invoice looks wrong", "invoice amount", "send my invoice"]),
        ("shipping", ["question about my parcel", "my parcel looks late", "parcel status", "send my parcel"]),
    ].flatMap { intent, texts in texts.map { IntentExample(text: $0, intent: intent) } }

    static func classifier() async throws -> IntentClassifier {
        let vectors = try await SynonymEmbedder().embed(examples.map(\.text))
        return IntentClassifier.train(
            examples, embeddings: vectors, embeddingModel: "synonyms-3", options: IntentTrainingOptions(epochs: 30))
    }

    @Test("a word never seen in training is understood through the message's embedding")
    func embeddingUnderstandsSynonyms() async throws {
        var context = Fixtures.context()
        context.services[IntentStage.ClassifierKey.self] = try await Self.classifier()
        context.services[IntentStage.EmbedderKey.self] = SynonymEmbedder()
        var bill = Fixtures.turn("a question about my bill")
        let outcome = try await IntentStage(settings: .init()).process(&bill, context: context)
        #expect(bill.intent?.name == "billing")
        #expect((bill.intent?.confidence ?? 0) > 0.7)
        #expect(outcome.reason?.contains("n-grams only") == false)
        var courier = Fixtures.turn("a question about the courier")
        _ = try await IntentStage(settings: .init()).process(&courier, context: context)
        #expect(courier.intent?.name == "shipping")
    }

    @Test("without a usable embedder the stage classifies from n-grams alone and says so in the trace")
    func fallsBackToNGrams() async throws {
        let classifier = try await Self.classifier()
        let embedders: [(any EmbeddingProvider)?] = [
            nil, SynonymEmbedder(fails: true), SynonymEmbedder(model: "another-model"),
        ]
        for embedder in embedders {
            var context = Fixtures.context()
            context.services[IntentStage.ClassifierKey.self] = classifier
            if let embedder { context.services[IntentStage.EmbedderKey.self] = embedder }
            var turn = Fixtures.turn("a question about my bill")
            let outcome = try await IntentStage(settings: .init()).process(&turn, context: context)
            #expect(outcome.reason?.contains("n-grams only: no embedding from synonyms-3") == true)
            // The words alone do not tell bills from parcels here.
            #expect((turn.intent?.confidence ?? 1) < 0.7)
            // A text the n-grams know still finds its intent.
            var known = Fixtures.turn("my invoice looks wrong")
            _ = try await IntentStage(settings: .init()).process(&known, context: context)
            #expect(known.intent?.name == "billing")
        }
    }
}

import ParleyAI
import ParleyCore
import ParleyStages
import ParleyUnderstanding
import Testing

/// Static embeddings that know a few synonyms: words about bills point one way, words about parcels another.
private func synonyms(model: String = "synonyms-3") throws -> StaticEmbedder {
    let bill: [Float] = [1, 0, 0]
    let parcel: [Float] = [0, 1, 0]
    let other: [Float] = [0, 0, 0.2]
    let tokens: [(String, [Float])] =
        [("[PAD]", other), ("[UNK]", other), ("[CLS]", other), ("[SEP]", other)]
        + ["invoice", "bill", "charge"].map { ($0, bill) } + ["parcel", "package", "courier"].map { ($0, parcel) }
        + ["a", "the", "question", "about", "my", "looks", "wrong", "late", "amount", "status", "send"].map {
            ($0, other)
        }
    return try StaticEmbedder(model: model, vocabulary: tokens.map(\.0), vectors: tokens.map(\.1))
}

@Suite("Intent stage with sentence embeddings")
struct IntentEmbeddingStageTests {
    static let examples = [
        ("billing", ["question about my invoice", "my invoice looks wrong", "invoice amount", "send my invoice"]),
        ("shipping", ["question about my parcel", "my parcel looks late", "parcel status", "send my parcel"]),
    ].flatMap { intent, texts in texts.map { IntentExample(text: $0, intent: intent) } }

    static func classifier() throws -> IntentClassifier {
        let embedder = try synonyms()
        return IntentClassifier.train(
            examples, embeddings: examples.map { embedder.embed($0.text) }, embeddingModel: "synonyms-3",
            options: IntentTrainingOptions(epochs: 30))
    }

    @Test("a word never seen in training is understood through the message's embedding")
    func embeddingUnderstandsSynonyms() async throws {
        var context = Fixtures.context()
        context.services[IntentStage.ClassifierKey.self] = try Self.classifier()
        context.services[IntentStage.EmbedderKey.self] = try synonyms()
        var bill = Fixtures.turn("a question about my bill")
        let outcome = try await IntentStage(settings: .init()).process(&bill, context: context)
        #expect(bill.intent?.name == "billing")
        #expect((bill.intent?.confidence ?? 0) > 0.7)
        #expect(outcome.reason?.contains("n-grams only") == false)
        var courier = Fixtures.turn("a question about the courier")
        _ = try await IntentStage(settings: .init()).process(&courier, context: context)
        #expect(courier.intent?.name == "shipping")
    }

    @Test("without the classifier's embeddings the stage classifies from n-grams alone and says so in the trace")
    func fallsBackToNGrams() async throws {
        let classifier = try Self.classifier()
        for embedder in [nil, try synonyms(model: "another-model")] {
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

import Foundation
import Hummingbird
import ParleyCore
import ParleyStages
import ParleyUnderstanding

/// The tenant's intents: read them, replace them (trained in process before the reply), and try a prediction.
enum IntentRoutes {
    struct IntentsView: Encodable {
        var version: Int
        var intents: [IntentSet.Intent]
        var outOfScopeThreshold: Double

        enum CodingKeys: String, CodingKey {
            case version, intents
            case outOfScopeThreshold = "out_of_scope_threshold"
        }
    }

    struct ReplaceResponse: Encodable {
        var version: Int
        var intents: Int
        var examples: Int
        var trainSeconds: Double

        enum CodingKeys: String, CodingKey {
            case version, intents, examples
            case trainSeconds = "train_seconds"
        }
    }

    struct PredictRequest: Decodable {
        var text: String
    }

    struct PredictionView: Encodable {
        var intent: String
        var confidence: Double
        var bestIntent: String
        var alternatives: [Alternative]

        struct Alternative: Encodable {
            var intent: String
            var probability: Double
        }

        init(_ prediction: IntentPrediction) {
            intent = prediction.intent
            confidence = prediction.confidence
            bestIntent = prediction.bestIntent
            alternatives = prediction.alternatives.map { Alternative(intent: $0.intent, probability: $0.probability) }
        }

        enum CodingKeys: String, CodingKey {
            case intent, confidence, alternatives
            case bestIntent = "best_intent"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/intents", summary: "The tenant's intents with their example utterances", tag: "intents",
            access: .staff(.analyst)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let stored = try await services.store.intents.get(tenant: caller.tenantID)
            return try .json(
                IntentsView(
                    version: stored?.version ?? 0, intents: stored?.set.intents ?? [],
                    outOfScopeThreshold: stored?.set.outOfScopeThreshold ?? IntentSet.defaultThreshold))
        }
        api.on(
            .put, "/api/intents",
            summary: "Replace the tenant's intents; they are trained before the reply and used from the next turn",
            tag: "intents", access: .staff(.enterpriseAdmin),
            body: ["intents": "array", "out_of_scope_threshold": "number"], required: ["intents"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            var set = try await JSONBody.decode(IntentSet.self, from: request, context: context)
            set.intents = set.intents.map { intent in
                var intent = intent
                intent.examples = intent.examples.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    .filter { !$0.isEmpty }
                return intent
            }
            let problems = set.problems()
            guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
            let result = try await services.intents.replace(set, tenant: caller.tenantID)
            services.tenantChanges.announce(caller.tenantID)
            return try .json(
                ReplaceResponse(
                    version: result.version, intents: set.intents.count,
                    examples: set.intents.reduce(0) { $0 + $1.examples.count }, trainSeconds: result.trainSeconds))
        }
        api.on(
            .post, "/api/intents/predict", summary: "Classify a text with the tenant's intents", tag: "intents",
            access: .staff(.analyst), body: ["text": "string"], required: ["text"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let body = try await JSONBody.decode(PredictRequest.self, from: request, context: context)
            guard body.text.utf8.count <= services.configuration.maxMessageBytes else {
                throw APIError(.contentTooLarge, "message_too_large", "text is too long")
            }
            guard let classifier = try await services.intents.classifier(tenant: caller.tenantID) else {
                throw APIError(.conflict, "no_intents", "the tenant has no intents; PUT /api/intents first")
            }
            var embedding: [Float]?
            if let block = classifier.embedding {
                embedding = IntentStage.embedding(
                    of: body.text, block: block, embedder: services.intents.embeddings?.ready)
            }
            return try .json(PredictionView(classifier.predict(body.text, embedding: embedding)))
        }
    }
}

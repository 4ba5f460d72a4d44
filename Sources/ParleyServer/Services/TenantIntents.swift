import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyStore
import ParleyUnderstanding
import Synchronization

/// Each tenant's trained intent classifier, trained in process when its intents change and cached.
///
/// With the server's embedder, a classifier learns from its examples' sentence embeddings beside their n-grams
/// (``IntentEmbeddingBlock``), and the intent stage embeds each message with the same embedder. Concurrent turns of
/// a tenant whose classifier is not trained yet wait for one training, not one each.
final class TenantIntents: Sendable {
    private let store: any ParleyStore
    /// The server's embedder, which classifiers are trained with and messages are embedded by; nil: n-grams only.
    let embedder: (any EmbeddingProvider)?
    private let logger: Logger
    private let cache = Mutex<[TenantID: Task<IntentClassifier?, any Error>]>([:])

    init(store: any ParleyStore, embedder: (any EmbeddingProvider)?, logger: Logger) {
        self.store = store
        self.embedder = embedder
        self.logger = logger
    }

    /// The tenant's classifier, or nil when it has defined no intents.
    func classifier(tenant: TenantID) async throws -> IntentClassifier? {
        let task = cache.withLock { cache in
            if let task = cache[tenant] { return task }
            let store = self.store
            let task = Task<IntentClassifier?, any Error> {
                guard let stored = try await store.intents.get(tenant: tenant) else { return nil }
                return await self.train(stored.set)
            }
            cache[tenant] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed read is not cached: the next turn tries again.
            cache.withLock { if $0[tenant] == task { $0[tenant] = nil } }
            throw error
        }
    }

    /// Drops the tenant's cached classifier: another replica changed its intents.
    func forget(tenant: TenantID) {
        cache.withLock { $0[tenant] = nil }
    }

    /// Trains on a new set, stores it and swaps it in; returns the version and the training time.
    func replace(_ set: IntentSet, tenant: TenantID) async throws -> (version: Int, trainSeconds: Double) {
        let started = ContinuousClock.now
        let classifier = await train(set)
        let elapsed = ContinuousClock.now - started
        let version = try await store.intents.save(set, tenant: tenant)
        cache.withLock { $0[tenant] = Task { classifier } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (version, seconds)
    }

    /// Trains a classifier on a tenant's intents, with their sentence embeddings when the embedder gives them.
    func train(_ set: IntentSet) async -> IntentClassifier {
        let examples = set.intents.flatMap { intent in
            intent.examples.map { IntentExample(text: $0, intent: intent.name) }
        }
        var embeddings: [[Float]]?
        if let embedder, !examples.isEmpty {
            do {
                embeddings = try await embedder.embed(examples.map(\.text))
            } catch {
                // The n-grams alone still make a working classifier; the next change of intents tries again.
                logger.warning(
                    "intent examples could not be embedded; training on n-grams alone",
                    metadata: ["model": "\(embedder.model)", "error": "\(error)"])
            }
        }
        return IntentClassifier.train(
            examples, embeddings: embeddings, embeddingModel: embedder?.model ?? "",
            options: IntentTrainingOptions(outOfScopeThreshold: set.outOfScopeThreshold))
    }
}

import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyStore
import ParleyUnderstanding
import Synchronization

/// Each tenant's trained intent classifier, trained in process when its intents change and cached.
///
/// With the built-in model's static embeddings (``IntentEmbeddings``), a classifier learns from its examples'
/// sentence embeddings beside their n-grams (``IntentEmbeddingBlock``), and the intent stage embeds each message
/// the same way; a classifier trained before those were ready is trained again once they are. Concurrent turns of
/// a tenant whose classifier is not trained yet wait for one training, not one each.
final class TenantIntents: Sendable {
    /// A trained classifier (nil: the tenant has no intents), and whether the static embeddings were there for it.
    private struct Trained: Sendable {
        var classifier: IntentClassifier?
        var hadEmbeddings: Bool
    }

    private let store: any ParleyStore
    /// The static embeddings classifiers are trained with and messages are embedded by; nil: n-grams only.
    let embeddings: IntentEmbeddings?
    private let logger: Logger
    private let cache = Mutex<[TenantID: Task<Trained, any Error>]>([:])

    /// How long a training waits for the static embeddings to load before it goes on with n-grams alone.
    static let embeddingsWait = Duration.seconds(2)

    init(store: any ParleyStore, embeddings: IntentEmbeddings?, logger: Logger) {
        self.store = store
        self.embeddings = embeddings
        self.logger = logger
    }

    /// The tenant's classifier, or nil when it has defined no intents.
    func classifier(tenant: TenantID) async throws -> IntentClassifier? {
        let task = cache.withLock { cache in
            if let task = cache[tenant] { return task }
            let task = training(tenant)
            cache[tenant] = task
            return task
        }
        do {
            let trained = try await task.value
            guard !trained.hadEmbeddings, embeddings?.ready != nil else { return trained.classifier }
            // Trained before the static embeddings were ready: once more, with them.
            let again = cache.withLock { cache in
                if cache[tenant] == task { cache[tenant] = training(tenant) }
                return cache[tenant] ?? task
            }
            return try await again.value.classifier
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
        let trained = await train(set)
        let elapsed = ContinuousClock.now - started
        let version = try await store.intents.save(set, tenant: tenant)
        cache.withLock { $0[tenant] = Task { trained } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (version, seconds)
    }

    /// A task training the tenant's stored intents.
    private func training(_ tenant: TenantID) -> Task<Trained, any Error> {
        let store = store
        return Task {
            guard let stored = try await store.intents.get(tenant: tenant) else {
                return Trained(classifier: nil, hadEmbeddings: true)
            }
            return await self.train(stored.set)
        }
    }

    /// Trains a classifier on a tenant's intents, with their static embeddings when those are ready.
    private func train(_ set: IntentSet) async -> Trained {
        let examples = set.intents.flatMap { intent in
            intent.examples.map { IntentExample(text: $0, intent: intent.name) }
        }
        let embedder = await embeddings?.embedder(waitingUpTo: Self.embeddingsWait)
        let classifier = IntentClassifier.train(
            examples, embeddings: embedder.map { embedder in examples.map { embedder.embed($0.text) } },
            embeddingModel: embedder?.model ?? "",
            options: IntentTrainingOptions(outOfScopeThreshold: set.outOfScopeThreshold))
        return Trained(classifier: classifier, hadEmbeddings: embedder != nil || embeddings == nil)
    }
}

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
    /// Each tenant's training, and the tenants whose classifier is being trained again with the static embeddings.
    private struct State {
        var cache: [TenantID: Task<Trained, any Error>] = [:]
        var retraining: Set<TenantID> = []
    }

    private let state = Mutex(State())

    /// How long a training waits for the static embeddings to load before it goes on with n-grams alone.
    static let embeddingsWait = Duration.seconds(2)

    init(store: any ParleyStore, embeddings: IntentEmbeddings?, logger: Logger) {
        self.store = store
        self.embeddings = embeddings
        self.logger = logger
    }

    /// The tenant's classifier, or nil when it has defined no intents.
    func classifier(tenant: TenantID) async throws -> IntentClassifier? {
        let task = state.withLock { state in
            if let task = state.cache[tenant] { return task }
            let task = training(tenant)
            state.cache[tenant] = task
            return task
        }
        do {
            let trained = try await task.value
            if !trained.hadEmbeddings, embeddings?.ready != nil { retrainWithEmbeddings(tenant, replacing: task) }
            return trained.classifier
        } catch {
            // A failed read is not cached: the next turn tries again.
            state.withLock { if $0.cache[tenant] == task { $0.cache[tenant] = nil } }
            throw error
        }
    }

    /// Drops the tenant's cached classifier: another replica changed its intents.
    func forget(tenant: TenantID) {
        state.withLock { $0.cache[tenant] = nil }
    }

    /// Trains on a new set, stores it and swaps it in; returns the version and the training time.
    func replace(_ set: IntentSet, tenant: TenantID) async throws -> (version: Int, trainSeconds: Double) {
        let started = ContinuousClock.now
        let trained = await train(set)
        let elapsed = ContinuousClock.now - started
        let version = try await store.intents.save(set, tenant: tenant)
        state.withLock { $0.cache[tenant] = Task { trained } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (version, seconds)
    }

    /// Trains the tenant's intents again in the background, now that the static embeddings are ready, and swaps the
    /// result in; meanwhile, and if that training fails, turns keep the classifier trained on n-grams.
    private func retrainWithEmbeddings(_ tenant: TenantID, replacing current: Task<Trained, any Error>) {
        let started = state.withLock { state -> Bool in
            guard state.cache[tenant] == current, !state.retraining.contains(tenant) else { return false }
            state.retraining.insert(tenant)
            return true
        }
        guard started else { return }
        let task = training(tenant)
        Task {
            let succeeded = (try? await task.value) != nil
            state.withLock { state in
                state.retraining.remove(tenant)
                if succeeded, state.cache[tenant] == current { state.cache[tenant] = task }
            }
        }
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

import Foundation
import Logging
import ParleyAI
import Synchronization

/// The static sentence embeddings intent classifiers read beside n-grams.
///
/// They are loaded (or distilled, about a minute the first time) in the background from the server's built-in model.
/// Classifiers trained before they are ready learn from n-grams alone; once the embeddings are ready, those are
/// trained again with them at their tenant's next turn (``TenantIntents``).
final class IntentEmbeddings: Sendable {
    private enum State {
        case loading
        case ready(StaticEmbedder)
        case unavailable
    }

    private let state = Mutex(State.loading)

    /// The embeddings of the built-in model the configuration names (`PARLEY_EMBED_MODEL`), a distilled table kept
    /// in the data folder when the model's own cannot be written; nil without a built-in model.
    static func make(_ configuration: ServerConfiguration, logger: Logger) -> IntentEmbeddings? {
        guard !configuration.embeddingModelDirectory.isEmpty else { return nil }
        return IntentEmbeddings(
            modelDirectory: URL(fileURLWithPath: configuration.embeddingModelDirectory),
            cacheDirectory: URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("models"),
            logger: logger)
    }

    /// Starts loading the static embeddings of the model in `modelDirectory`, keeping a distilled table beside the
    /// model or, when that folder cannot be written, in `cacheDirectory`.
    init(modelDirectory: URL, cacheDirectory: URL, logger: Logger) {
        Task { [self] in
            let started = ContinuousClock.now
            do {
                let embedder = try await StaticEmbedderLoader.shared(
                    modelDirectory: modelDirectory, cacheDirectory: cacheDirectory
                ) { done, total in
                    if done == total || done % 5_120 == 0 {
                        logger.info("distilling intent embeddings", metadata: ["tokens": "\(done)/\(total)"])
                    }
                }
                self.state.withLock { $0 = .ready(embedder) }
                logger.info(
                    "intent embeddings ready",
                    metadata: ["model": "\(embedder.model)", "after": "\(started.duration(to: .now))"])
            } catch {
                self.state.withLock { $0 = .unavailable }
                logger.warning(
                    "intent embeddings unavailable: intents are classified from n-grams alone",
                    metadata: ["error": "\(error)"])
            }
        }
    }

    /// The embeddings if they are loaded, without waiting.
    var ready: StaticEmbedder? {
        state.withLock { state in
            if case .ready(let embedder) = state { return embedder }
            return nil
        }
    }

    /// The embeddings, waiting up to `limit` for them; nil when they are not ready by then or cannot be had.
    func embedder(waitingUpTo limit: Duration) async -> StaticEmbedder? {
        let deadline = ContinuousClock.now + limit
        while true {
            switch state.withLock({ $0 }) {
            case .ready(let embedder): return embedder
            case .unavailable: return nil
            case .loading:
                guard ContinuousClock.now < deadline, !Task.isCancelled else { return nil }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}

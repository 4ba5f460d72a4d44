import Foundation
import Logging
import ParleyAI
import ParleyKnowledge
import ParleyStore
import ServiceLifecycle

/// At start, re-embeds in the background every tenant's chunks that lack the configured model's vectors: after the
/// model changed, or when a model was added to a knowledge base built without one.
///
/// Replicas starting together may embed the same chunks twice; the vectors are the same, so that costs time only.
struct ReembeddingService: Service {
    let store: any ParleyStore
    let embedder: any EmbeddingProvider
    let logger: Logger

    func run() async throws {
        await work()
        // A service that returns ends the whole server (ServiceLifecycle cancels the group): wait for the shutdown.
        try? await gracefulShutdown()
    }

    private func work() async {
        await cancelWhenGracefulShutdown {
            let reembedder = Reembedder(store: store.knowledge, embedder: embedder)
            do {
                for tenant in try await store.tenants.list() {
                    let count = try await reembedder.run(tenant: tenant.id)
                    if count > 0 {
                        logger.notice(
                            "chunks embedded with the current model",
                            metadata: ["tenant": "\(tenant.id)", "chunks": "\(count)", "model": "\(embedder.model)"])
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                // The rest waits for the next start; search meanwhile finds those chunks by their words.
                logger.warning("re-embedding stopped", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
        }
    }
}

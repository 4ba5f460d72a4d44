import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyKnowledge
import ParleyStore
import ServiceLifecycle

/// Re-embeds in the background the chunks that lack their tenant's current model's vectors: every tenant's at
/// start (after the server's model changed, or when a model was added to a knowledge base built without one), then
/// each tenant's whose embedder is changed through the API.
///
/// Tenants are taken one at a time, so a large knowledge base never holds two models' worth of work at once. Work
/// cut short by a restart resumes at the next start, since the start pass finds whatever still lacks vectors.
/// Replicas starting together may embed the same chunks twice; the vectors are the same, so that costs time only.
struct ReembeddingService: Service {
    let store: any ParleyStore
    let embedders: TenantEmbedders
    let queue: ReembeddingQueue
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            do {
                for tenant in try await store.tenants.list() { await reembed(tenant.id) }
            } catch {
                logger.warning(
                    "re-embedding could not list tenants", metadata: .describing(error)
                )
            }
            for await tenant in queue.tenants {
                if Task.isCancelled { break }
                await reembed(tenant)
            }
        }
        // A service that returns ends the whole server (ServiceLifecycle cancels the group): wait for the shutdown.
        try? await gracefulShutdown()
    }

    private func reembed(_ tenant: TenantID) async {
        do {
            guard let embedder = try await embedders.embedder(for: tenant) else { return }
            let count = try await Reembedder(store: store.knowledge, embedder: embedder).run(tenant: tenant)
            if count > 0 {
                logger.notice(
                    "chunks embedded with the current model",
                    metadata: ["tenant": "\(tenant)", "chunks": "\(count)", "model": "\(embedder.model)"])
            }
        } catch is CancellationError {
            return
        } catch {
            // The rest waits for the next change or start; search meanwhile finds those chunks by their words.
            logger.warning(
                "re-embedding stopped",
                metadata: Logger.Metadata.describing(error).merging(["tenant": "\(tenant)"]) { $1 })
        }
    }
}

import Logging
import ParleyStore
import ServiceLifecycle

/// Readies every tenant's full-text search at start, one tenant at a time.
///
/// SQLite loads each tenant's term index into memory, so that the first visitors after a restart get the fast path;
/// searches before it is done still work.
struct SearchPreparationService: Service {
    let store: any ParleyStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            do {
                for tenant in try await store.tenants.list() {
                    if Task.isCancelled { return }
                    try await store.knowledge.prepareSearch(tenant: tenant.id)
                }
            } catch is CancellationError {
                return
            } catch {
                // Each search readies its own tenant anyway; this only loses the head start.
                logger.warning(
                    "could not ready full-text search", metadata: .describing(error))
            }
        }
        // A service that returns ends the whole server (ServiceLifecycle cancels the group): wait for the shutdown.
        try? await gracefulShutdown()
    }
}

import Logging
import ParleyCore
import ParleyStore
import Synchronization

/// Each tenant's compiled chain, cached and swapped atomically when the tenant saves or rolls back its configuration.
final class TenantChains: Sendable {
    /// A tenant's configuration as in force, with its compiled chain; version 0 is the registry's default.
    struct Active: Sendable {
        var version: ChainConfigVersion
        var chain: Chain
    }

    /// A tenant's cache slot: its chain once read, and a count of the changes that dropped it.
    ///
    /// A read that started before a change must not put back what it read: it keeps its chain only if no change
    /// counted since it began (as ``TenantRules`` does).
    private struct Entry {
        var generation: Int
        var active: Active?
    }

    let registry: StageRegistry
    private let store: any ParleyStore
    private let logger: Logger
    private let cache = Mutex<[TenantID: Entry]>([:])

    init(registry: StageRegistry, store: any ParleyStore, logger: Logger) {
        self.registry = registry
        self.store = store
        self.logger = logger
    }

    /// The chain in force for the tenant.
    func active(tenant: TenantID) async throws -> Active {
        let cached = cache.withLock { $0[tenant] }
        if let active = cached?.active { return active }
        let generation = cached?.generation ?? 0
        let active = try await load(tenant: tenant)
        cache.withLock { cache in
            // A change that landed while this read ran has already dropped the entry: keep the newer state.
            guard (cache[tenant]?.generation ?? 0) == generation else { return }
            cache[tenant] = Entry(generation: generation, active: active)
        }
        return active
    }

    /// Runs one stage of the tenant's active chain alone on `turn`, as the chain would (traced, errors recorded);
    /// nil when the tenant's chain does not have that stage enabled.
    ///
    /// For work outside a chain run that must still follow the tenant's settings, such as redacting a message a
    /// human agent receives, or asking the business-hours stage whether the tenant is open.
    func runAlone(_ stage: String, on turn: inout Turn, context: StageContext) async throws -> ChainResult? {
        let steps = try await active(tenant: context.tenant.id).chain.steps.filter { $0.manifest.id == stage }
        guard !steps.isEmpty else { return nil }
        return await Chain(steps: steps).run(&turn, context: context)
    }

    /// Validates a configuration as a whole, stores it as the next version and swaps it in.
    ///
    /// The next turn reads what is in force from the store, so that of two saves at once the later one stays in
    /// force here too, whichever finishes first.
    func activate(_ config: ChainConfig, tenant: TenantID, by user: UserID?) async throws -> ChainConfigVersion {
        _ = try registry.compile(config)
        let version = try await store.chains.activate(config, tenant: tenant, by: user)
        forget(tenant: tenant)
        return version
    }

    /// Restores the configuration that was in force before the current one; nil when there is none.
    func rollback(tenant: TenantID) async throws -> ChainConfigVersion? {
        guard try await store.chains.rollback(tenant: tenant) != nil else { return nil }
        forget(tenant: tenant)
        return try await active(tenant: tenant).version
    }

    /// Drops the tenant's cached chain: it changed here or on another replica.
    func forget(tenant: TenantID) {
        cache.withLock { cache in
            cache[tenant] = Entry(generation: (cache[tenant]?.generation ?? 0) + 1, active: nil)
        }
    }

    private func load(tenant: TenantID) async throws -> Active {
        guard let stored = try await store.chains.active(tenant: tenant) else {
            let config = registry.defaultConfig
            return Active(
                version: ChainConfigVersion(version: 0, config: config, createdBy: nil),
                chain: try registry.compile(config))
        }
        do {
            return Active(version: stored, chain: try registry.compile(stored.config))
        } catch {
            // A stored chain that no longer compiles (a plugin was removed) must not take the tenant's bot down.
            logger.error(
                "stored chain no longer valid; using the default chain",
                metadata: ["tenant": "\(tenant)", "version": "\(stored.version)", "problems": "\(error)"])
            return Active(version: stored, chain: try registry.compile(registry.defaultConfig))
        }
    }
}

import ParleyCore

/// Drops what this replica cached of a tenant's settings when they change, and tells the other replicas to do the
/// same, so that a rule activated or a chain saved on one replica takes effect on all of them at the next turn.
final class TenantChanges: Sendable {
    private let chains: TenantChains
    private let rules: TenantRules
    private let intents: TenantIntents
    private let tenants: TenantCache
    private let answerers: TenantAnswerers
    private let embedders: TenantEmbedders
    /// Changed tenants for the other replicas, in order; nil when there are none.
    let outgoing: AsyncStream<TenantID>?
    private let forward: AsyncStream<TenantID>.Continuation?

    init(
        chains: TenantChains, rules: TenantRules, intents: TenantIntents, tenants: TenantCache,
        answerers: TenantAnswerers, embedders: TenantEmbedders, sharedWithReplicas: Bool
    ) {
        self.embedders = embedders
        self.chains = chains
        self.rules = rules
        self.intents = intents
        self.tenants = tenants
        self.answerers = answerers
        if sharedWithReplicas {
            let (stream, continuation) = AsyncStream<TenantID>.makeStream(bufferingPolicy: .bufferingNewest(4096))
            (outgoing, forward) = (stream, continuation)
        } else {
            (outgoing, forward) = (nil, nil)
        }
    }

    /// The tenant's settings changed here: forget them here and on every other replica.
    func changed(_ tenant: TenantID) async {
        await forget(tenant)
        forward?.yield(tenant)
    }

    /// The tenant's settings changed here and this replica is already up to date: tell the other replicas only.
    func announce(_ tenant: TenantID) {
        forward?.yield(tenant)
    }

    /// Another replica changed the tenant's settings: forget them here.
    func forget(_ tenant: TenantID) async {
        chains.forget(tenant: tenant)
        rules.changed(tenant: tenant)
        intents.forget(tenant: tenant)
        tenants.invalidate(tenant)
        await answerers.invalidate(tenant: tenant)
        await embedders.invalidate(tenant: tenant)
    }
}

import Foundation
import Logging
import ParleyCore
import ParleyStore
import Synchronization
import Testing

@testable import ParleyServer

/// The chain cache: a read that raced a save never puts the old chain back.
@Suite("Tenant chains cache")
struct TenantChainsTests {
    @Test("a chain read that started before a save does not replace the saved chain in the cache")
    func readRacingSave() async throws {
        let base = try await SQLiteStore.open(path: ":memory:", logger: Logger(label: "test"))
        try await base.migrate()
        let tenant = Tenant(
            id: .generate(), name: "Racer", widgetKey: "wk-\(UUID().uuidString)", fallbackText: "fb",
            createdAt: Date())
        try await base.tenants.create(tenant)
        let gate = ReadGate()
        let store = ForwardingStore(base: base, chains: GatedChains(base: base.chains, gate: gate))
        let registry = StageCatalog.registry()
        let chains = TenantChains(registry: registry, store: store, logger: Logger(label: "test"))

        // A turn reads the chain (nothing saved yet: the default, version 0) and is held before it caches it...
        gate.arm()
        let slowRead = Task { try await chains.active(tenant: tenant.id).version.version }
        await gate.waitUntilHeld()
        // ...while an admin saves version 1.
        let saved = try await chains.activate(registry.defaultConfig, tenant: tenant.id, by: nil)
        #expect(saved.version == 1)
        gate.release()
        #expect(try await slowRead.value == 0, "the racing turn ran on what it read")
        #expect(try await chains.active(tenant: tenant.id).version.version == 1, "the saved chain is in force")
        try await base.close()
    }
}

/// Holds the next chain read, after it has read the store, until released.
final class ReadGate: Sendable {
    private let armed = Mutex(false)
    private let arrivals: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation
    private let releases: AsyncStream<Void>
    private let releasing: AsyncStream<Void>.Continuation

    init() {
        (arrivals, arrival) = AsyncStream.makeStream()
        (releases, releasing) = AsyncStream.makeStream()
    }

    /// Makes the next read wait at the gate.
    func arm() { armed.withLock { $0 = true } }

    /// Called by a read: waits for `release` when the gate is armed.
    func pass() async {
        guard
            armed.withLock({ armed in
                defer { armed = false }
                return armed
            })
        else { return }
        arrival.yield()
        var released = releases.makeAsyncIterator()
        _ = await released.next()
    }

    /// Returns once a read waits at the gate.
    func waitUntilHeld() async {
        var arrived = arrivals.makeAsyncIterator()
        _ = await arrived.next()
    }

    /// Lets the waiting read go on.
    func release() { releasing.yield() }
}

/// The chain repository of `base`, with its reads passing `gate` after they read.
struct GatedChains: ChainConfigRepository {
    let base: any ChainConfigRepository
    let gate: ReadGate

    func active(tenant: TenantID) async throws -> ChainConfigVersion? {
        let read = try await base.active(tenant: tenant)
        await gate.pass()
        return read
    }

    func activate(_ config: ChainConfig, tenant: TenantID, by user: UserID?) async throws -> ChainConfigVersion {
        try await base.activate(config, tenant: tenant, by: user)
    }

    func rollback(tenant: TenantID) async throws -> ChainConfigVersion? { try await base.rollback(tenant: tenant) }

    func versions(tenant: TenantID) async throws -> [ChainConfigVersion] { try await base.versions(tenant: tenant) }
}

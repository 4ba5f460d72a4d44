import Foundation
import ParleyCore
import ParleyStore
import Synchronization

/// Tenants kept in memory for a short time, so a chat turn does not read the tenant row every time.
final class TenantCache: Sendable {
    private let store: any ParleyStore
    private let lifetime: Duration
    private let entries = Mutex<[TenantID: (tenant: Tenant, expires: ContinuousClock.Instant)]>([:])

    /// Makes a cache whose entries are re-read after `lifetime`.
    init(store: any ParleyStore, lifetime: Duration = .seconds(30)) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The tenant, from memory when it was read less than `lifetime` ago.
    func get(_ id: TenantID) async throws -> Tenant? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[id] }), entry.expires > now { return entry.tenant }
        guard let tenant = try await store.tenants.get(id) else { return nil }
        entries.withLock { $0[id] = (tenant, now + lifetime) }
        return tenant
    }

    /// Forgets a tenant after it changed, so the next turn reads it again.
    func invalidate(_ id: TenantID) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}

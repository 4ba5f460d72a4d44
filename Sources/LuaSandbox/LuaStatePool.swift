import Synchronization

/// Pools sandboxes per tenant key; a state is never shared across keys.
///
/// `withSandbox` hands out an idle sandbox of the tenant (or creates one) for the duration of `body`, then
/// keeps it for reuse, up to `maxIdlePerTenant` per tenant and `maxIdleTotal` overall. A sandbox that broke a
/// limit or failed badly (`isPoisoned`) is never reused: it is closed after a full garbage collection and
/// the next checkout creates a fresh one.
public final class LuaStatePool: Sendable {
    /// Idle sandboxes kept per tenant.
    public let maxIdlePerTenant: Int
    /// Idle sandboxes kept over all tenants.
    public let maxIdleTotal: Int

    private let idle = Mutex<[String: [PooledSandbox]]>([:])

    /// Creates an empty pool.
    public init(maxIdlePerTenant: Int = 2, maxIdleTotal: Int = 64) {
        self.maxIdlePerTenant = max(0, maxIdlePerTenant)
        self.maxIdleTotal = max(0, maxIdleTotal)
    }

    /// Runs `body` with a sandbox that belongs to `tenant` only, applying `limits` to it.
    public func withSandbox<R>(
        tenant: String,
        limits: LuaLimits = .default,
        _ body: (LuaSandbox) throws -> R
    ) throws -> R {
        let sandbox = try checkOut(tenant: tenant, limits: limits)
        defer { checkIn(sandbox, tenant: tenant) }
        return try body(sandbox.sandbox)
    }

    /// Idle sandboxes kept for a tenant.
    public func idleCount(tenant: String) -> Int {
        idle.withLock { $0[tenant]?.count ?? 0 }
    }

    /// Closes every idle sandbox of a tenant, for example after its rules changed.
    public func removeAll(tenant: String) {
        let removed = idle.withLock { $0.removeValue(forKey: tenant) }
        // The states close here, outside the lock, so other tenants are not blocked meanwhile.
        _ = removed
    }

    private func checkOut(tenant: String, limits: LuaLimits) throws(LuaError) -> PooledSandbox {
        let reused = idle.withLock { pool -> PooledSandbox? in
            guard var list = pool[tenant], let last = list.popLast() else { return nil }
            pool[tenant] = list.isEmpty ? nil : list
            return last
        }
        // A state made for another memory cap is dropped (and closed) rather than resized.
        if let reused, reused.sandbox.limits.effectiveMemoryBytes == limits.effectiveMemoryBytes {
            reused.sandbox.limits = limits
            return reused
        }
        return PooledSandbox(sandbox: try LuaSandbox(limits: limits))
    }

    private func checkIn(_ pooled: PooledSandbox, tenant: String) {
        guard !pooled.sandbox.isPoisoned else { return }
        idle.withLock { pool in
            let total = pool.values.reduce(0) { $0 + $1.count }
            guard total < maxIdleTotal, pool[tenant, default: []].count < maxIdlePerTenant else { return }
            pool[tenant, default: []].append(pooled)
        }
    }
}

/// Moves a sandbox in and out of the pool's lock.
///
/// `@unchecked Sendable` is sound here: the pool hands a sandbox to exactly one `withSandbox` caller at a time
/// and only touches it again after that caller returned, so the non-`Sendable` state is never used concurrently.
private final class PooledSandbox: @unchecked Sendable {
    let sandbox: LuaSandbox

    init(sandbox: LuaSandbox) {
        self.sandbox = sandbox
    }
}

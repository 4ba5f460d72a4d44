import Foundation
import Logging
import LuaSandbox
import ParleyCore
import ParleyRules
import ParleyStore
import Synchronization

/// Each tenant's active and shadow rules, cached and dropped whenever the tenant changes a rule.
///
/// A change takes effect on the next turn: routes call `changed(tenant:)` after every write, which drops the cached
/// set (and the tenant's idle Lua states); the next turn reads the rules again.
final class TenantRules: Sendable {
    /// The engine every tenant's rules run in.
    let engine: RuleEngine
    /// Limits for each rule call.
    let limits: LuaLimits
    private let store: any ParleyStore
    private let logger: Logger
    private let cache = Mutex<[TenantID: Entry]>([:])

    private struct Entry: Sendable {
        var generation: Int
        var set: RuleSet?
    }

    /// A tenant's active rules and shadow candidates, as programs.
    struct RuleSet: Sendable {
        var rules: [RuleProgram]
        var shadows: [RuleProgram]
    }

    init(store: any ParleyStore, engine: RuleEngine = RuleEngine(), limits: LuaLimits = .default, logger: Logger) {
        self.store = store
        self.engine = engine
        self.limits = limits
        self.logger = logger
    }

    /// The limits for a tenant: the installation's defaults with the tenant's plan laid over them.
    func limits(for tenant: Tenant) -> LuaLimits {
        var limits = self.limits
        if let instructions = tenant.plan.ruleInstructions { limits.instructions = UInt64(instructions) }
        if let memory = tenant.plan.ruleMemoryBytes { limits.memoryBytes = memory }
        if let deadline = tenant.plan.ruleDeadlineMilliseconds { limits.deadlineMilliseconds = UInt64(deadline) }
        return limits
    }

    /// The tenant's rules as in force now, under its plan's limits, with a recorder that stores shadow comparisons.
    func book(tenant owner: Tenant) async throws -> RuleBook {
        let tenant = owner.id
        let set = try await ruleSet(tenant: tenant)
        let store = self.store
        let logger = self.logger
        return RuleBook(
            tenant: tenant.rawValue, rules: set.rules, shadows: set.shadows, limits: limits(for: owner), engine: engine,
            recordShadows: { comparisons, turn in
                let now = Date()
                let results = comparisons.map { comparison in
                    ShadowResult(
                        tenantID: turn.tenantID, rule: comparison.rule.rawValue,
                        activeVersion: comparison.activeVersion, candidateVersion: comparison.candidateVersion,
                        conversationID: turn.conversationID, messageID: turn.messageID, active: comparison.active,
                        candidate: comparison.candidate, agrees: comparison.agrees, createdAt: now)
                }
                do {
                    try await store.rules.recordShadowResults(results)
                } catch {
                    // A lost shadow comparison must not cost the visitor the turn.
                    logger.error("could not store shadow results", metadata: ["error": "\(error)"])
                }
            })
    }

    /// Drops the tenant's cached rules after a change; the next turn reads them again.
    func changed(tenant: TenantID) {
        cache.withLock { cache in
            let generation = (cache[tenant]?.generation ?? 0) + 1
            cache[tenant] = Entry(generation: generation, set: nil)
        }
        engine.forget(tenant: tenant.rawValue)
    }

    private func ruleSet(tenant: TenantID) async throws -> RuleSet {
        let cached = cache.withLock { $0[tenant] }
        if let set = cached?.set { return set }
        let generation = cached?.generation ?? 0
        let set = RuleSet(
            rules: try await store.rules.active(tenant: tenant).compactMap(Self.program),
            shadows: try await store.rules.shadows(tenant: tenant).compactMap(Self.program))
        cache.withLock { cache in
            // A change that landed while this read ran has already dropped the entry: keep the newer state.
            guard (cache[tenant]?.generation ?? 0) == generation else { return }
            cache[tenant] = Entry(generation: generation, set: set)
        }
        return set
    }

    private static func program(_ version: RuleVersion) -> RuleProgram? {
        RuleName(version.name).map { RuleProgram(name: $0, version: version.version, source: version.source) }
    }
}

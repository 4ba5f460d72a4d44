import LuaSandbox
import Synchronization
import Testing

/// The pool keeps states per tenant, bounds them and replaces poisoned ones.
@Suite struct StatePoolTests {
    @Test func statesArePerTenantAndReused() throws {
        let pool = LuaStatePool(maxIdlePerTenant: 1)
        try pool.withSandbox(tenant: "acme") { sandbox in
            _ = try sandbox.load(name: "rules/acme.lua", source: "function f() return 'acme' end")
        }
        try pool.withSandbox(tenant: "globex") { sandbox in
            #expect(sandbox.rule(named: "rules/acme.lua") == nil)
        }
        let value = try pool.withSandbox(tenant: "acme") { sandbox in
            try sandbox.rule(named: "rules/acme.lua").map { try sandbox.call($0, function: "f").value }
        }
        #expect(value == "acme")
        #expect(pool.idleCount(tenant: "acme") == 1)
        pool.removeAll(tenant: "acme")
        #expect(pool.idleCount(tenant: "acme") == 0)
    }

    @Test func killedStateIsReplaced() throws {
        let pool = LuaStatePool()
        let limits = LuaLimits(instructions: 10_000)
        try pool.withSandbox(tenant: "acme", limits: limits) { sandbox in
            let rule = try sandbox.load(name: "rules/spin.lua", source: "function spin() while true do end end")
            #expect(throws: LuaError.self) { try sandbox.call(rule, function: "spin") }
            #expect(sandbox.isPoisoned)
        }
        #expect(pool.idleCount(tenant: "acme") == 0)
        try pool.withSandbox(tenant: "acme", limits: limits) { sandbox in
            #expect(!sandbox.isPoisoned)
            #expect(sandbox.rule(named: "rules/spin.lua") == nil)
        }
    }

    @Test func idleStatesAreBounded() throws {
        let pool = LuaStatePool(maxIdlePerTenant: 1, maxIdleTotal: 2)
        for tenant in ["a", "b", "c"] {
            try pool.withSandbox(tenant: tenant) { _ in }
        }
        #expect(pool.idleCount(tenant: "a") + pool.idleCount(tenant: "b") + pool.idleCount(tenant: "c") == 2)
        try pool.withSandbox(tenant: "a") { _ in
            try pool.withSandbox(tenant: "a") { _ in }
        }
        #expect(pool.idleCount(tenant: "a") == 1)
    }

    @Test func concurrentTenantsRunInParallel() async throws {
        let pool = LuaStatePool()
        let source = "function f(n) local s = 0 for i = 1, n do s = s + i end return s end"
        try await withThrowingTaskGroup(of: LuaValue.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try pool.withSandbox(tenant: "tenant-\(index % 2)") { sandbox in
                        let rule =
                            try sandbox.rule(named: "rules/sum.lua")
                            ?? sandbox.load(name: "rules/sum.lua", source: source)
                        return try sandbox.call(rule, function: "f", arguments: [1_000]).value
                    }
                }
            }
            for try await value in group {
                #expect(value == .integer(500_500))
            }
        }
    }
}

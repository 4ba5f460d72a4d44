import LuaSandbox
import Testing

/// Escape class 7: exhausting memory.
@Suite struct MemoryLimitTests {
    static let generous = ["--instructions", "1000000000", "--deadline-ms", "5000"]

    @Test(arguments: [
        "local s = string.rep('x', 1e9)",
        "local s = string.rep('x', 1e6, string.rep(',', 1e3))",
        "local t = {} for i = 1, 1e8 do t[i] = i end",
        "local s = 'x' while true do s = s .. s end",
        "local t = {} while true do t[#t + 1] = {} end",
        "local ok = pcall(string.rep, 'x', 1e9) while true do end",
        "local ok = pcall(function() local t = {} while true do t[#t + 1] = 'x' .. #t end end) return ok",
        "local parts = {} for i = 1, 1e7 do parts[i] = 'abcdefgh' end return table.concat(parts)",
    ])
    func memoryCapHolds(script: String) throws {
        try Probe.expectError("memoryLimit", script, arguments: Self.generous)
    }

    @Test func collectgarbageOnlyCounts() throws {
        let verdict = try Probe.expectError("runtime", "collectgarbage('stop')")
        #expect(verdict.message?.contains("count") == true)
        try Probe.expectTrue("function check() return collectgarbage('count') > 0 end")
    }

    @Test func poolReplacesAStateThatHitTheCap() throws {
        let pool = LuaStatePool()
        let limits = LuaLimits(instructions: 1_000_000_000, memoryBytes: 1 << 20, deadlineMilliseconds: 5_000)
        let kind = try pool.withSandbox(tenant: "t", limits: limits) { sandbox -> LuaError.Kind? in
            let rule = try sandbox.load(
                name: "rules/hog.lua", source: "function hog() local t = {} while true do t[#t+1] = {} end end")
            do {
                _ = try sandbox.call(rule, function: "hog")
                return nil
            } catch {
                #expect(sandbox.isPoisoned)
                return (error as? LuaError)?.kind
            }
        }
        #expect(kind == .memoryLimit)
        #expect(pool.idleCount(tenant: "t") == 0)
        try pool.withSandbox(tenant: "t", limits: limits) { sandbox in
            #expect(!sandbox.isPoisoned)
            #expect(sandbox.rule(named: "rules/hog.lua") == nil)
        }
        #expect(pool.idleCount(tenant: "t") == 1)
    }
}

import LuaSandbox
import Testing

/// Escape class 4: poisoning the shared string metatable or library tables.
@Suite struct MetatablePoisoningTests {
    @Test(arguments: [
        "getmetatable('').__index = {}",
        "getmetatable('').__index.upper = nil",
        "string.gsub = function() return 'pwned' end",
        "rawset(string, 'upper', nil)",
        "('x').upper = nil",
    ])
    func poisoningFails(script: String) throws {
        try Probe.expectError("runtime", script)
    }

    @Test func attemptsDoNotPersistIntoOtherRulesOrCalls() throws {
        let sandbox = try LuaSandbox()
        _ = try sandbox.load(
            name: "rules/evil.lua",
            source: """
                pcall(function() getmetatable('').__index = { upper = function() return 'pwned' end } end)
                pcall(function() string.upper = function() return 'pwned' end end)
                pcall(rawset, string, 'upper', nil)
                upper = function() return 'pwned' end
                """
        )
        let victim = try sandbox.load(name: "rules/victim.lua", source: "function f() return ('abc'):upper() end")
        #expect(try sandbox.call(victim, function: "f").value == "ABC")
    }

    @Test func tenantsNeverShareState() throws {
        let pool = LuaStatePool()
        try pool.withSandbox(tenant: "evil") { sandbox in
            _ = try sandbox.load(name: "rules/evil.lua", source: "x = 'evil'")
        }
        let seen = try pool.withSandbox(tenant: "victim") { sandbox in
            #expect(sandbox.rule(named: "rules/evil.lua") == nil)
            let rule = try sandbox.load(name: "rules/victim.lua", source: "function f() return x end")
            return try sandbox.call(rule, function: "f").value
        }
        #expect(seen == .nil)
    }
}

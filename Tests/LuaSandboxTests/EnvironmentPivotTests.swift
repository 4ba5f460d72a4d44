import LuaSandbox
import Testing

/// Escape class 3: debug, `_ENV` games and unfreezing the globals.
@Suite struct EnvironmentPivotTests {
    @Test(arguments: [
        "debug.getregistry()",
        "setmetatable(_G, nil)",
        "rawset(_G, 'string', {})",
        "_G.string = {}",
        "setmetatable(_ENV, nil)",
        "local mt = getmetatable(_ENV) mt.__index = {}",
        "string.upper = nil",
        "table.insert = print",
    ])
    func pivotsFail(script: String) throws {
        try Probe.expectError("runtime", script)
    }

    @Test func localEnvCannotReachAnything() throws {
        try Probe.expectTrue(
            """
            function check()
              local ok = pcall(function() local _ENV = {} return string.upper("x") end)
              return not ok and getmetatable(_G) == false and getmetatable(string) == false
            end
            """
        )
    }

    @Test func ruleGlobalsAreFrozenAfterLoad() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/counter.lua",
            source: "count = 0\nfunction bump()\n  count = count + 1\n  return count\nend"
        )
        #expect {
            try sandbox.call(rule, function: "bump")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .runtime && error.line == 3 && error.message.contains("read-only")
        }
    }

    @Test func rulesDoNotSeeEachOthersGlobals() throws {
        let sandbox = try LuaSandbox()
        _ = try sandbox.load(name: "rules/a.lua", source: "secret = 'a'")
        let other = try sandbox.load(name: "rules/b.lua", source: "function peek() return secret end")
        #expect(try sandbox.call(other, function: "peek").value == .nil)
    }
}

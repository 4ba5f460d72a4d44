import LuaSandbox
import Testing

/// Escape class 9: addresses in tostring and host paths in error messages.
@Suite struct InformationLeakTests {
    @Test func noAddressesInStrings() throws {
        let verdict = try Probe.run(
            """
            print({}, print, string, _G, parley.log, string.gmatch('a', 'a'))
            print(tostring({}), tostring(print), string.format('%s|%s', {}, print))
            print(select(2, pcall(error, {})))
            """
        )
        #expect(verdict.status == "ok")
        #expect(
            verdict.log == [
                "table\tfunction\ttable\ttable\tfunction\tfunction",
                "table\tfunction\ttable|function",
                "table",
            ])
        try Probe.expectError("runtime", "string.format('%p', {})")
    }

    @Test(arguments: [
        "string.rep()",
        "error('boom')",
        "local x = nil + 1",
        "setmetatable(1, 2)",
        "string.find('a', '[a')",
        "table.sort({3, 2, 1}, function() error('cmp') end)",
        "error(setmetatable({}, {__tostring = function() return 'obj' end}))",
    ])
    func errorsNameTheRuleNotTheHost(script: String) throws {
        let verdict = try Probe.expectError("runtime", script)
        let message = try #require(verdict.message)
        #expect(!message.contains("/"), "\(message)")
        #expect(!message.contains("0x"), "\(message)")
        #expect(!message.contains(".c:"), "\(message)")
        #expect(message.hasPrefix("probe.lua:1:") || message.hasPrefix("(error object"), "\(message)")
    }
}

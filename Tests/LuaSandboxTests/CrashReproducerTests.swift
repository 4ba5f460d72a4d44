import LuaSandbox
import Testing

/// Escape class 8: replays of published Lua 5.4 / Redis-Lua crash reproducers (see SECURITY.md).
///
/// Each runs in the child process; the assertion is that the child exits normally with a verdict.
@Suite struct CrashReproducerTests {
    /// CVE-2022-28805: `_ENV` declared `<const>` made singlevar read past a buffer (patched in 5.4.4-2).
    @Test func constEnvironment() throws {
        let verdict = try Probe.expectError("runtime", "local _ENV <const> = 42\nreturn x")
        #expect(verdict.message?.contains("number value") == true)
        try Probe.expectError("runtime", "local _ENV <const> = 42\nx = 20")
    }

    /// CVE-2022-33099: a C-stack overflow while handling an error (patched in 5.4.4-3).
    @Test func errorWhileHandlingAnError() throws {
        let verdict = try Probe.run("local function loop() assert(pcall(loop)) end\nlocal ok, msg = xpcall(loop, loop)")
        #expect(["ok", "error"].contains(verdict.status))
        let handler = try Probe.run("local function h(m) error(m) end\nreturn xpcall(error, h, 'x')")
        #expect(["ok", "error"].contains(handler.status))
    }

    /// The size-overflow class: huge unpack counts and string sizes.
    @Test(arguments: [
        ("table.unpack({}, 1, 1e8)", "runtime"),
        ("table.unpack({}, -2^31, 2^31)", "runtime"),
        ("table.unpack({}, math.mininteger, math.maxinteger)", "runtime"),
        ("string.rep('x', 2^31)", "memoryLimit"),
        ("string.rep('xx', 2^62)", "memoryLimit"),
        ("table.concat({}, '', 1, math.maxinteger)", "runtime"),
        ("table.move({}, 1, math.maxinteger, 2)", "runtime"),
        ("local t = setmetatable({}, {__len = function() return 2^40 end}) table.insert(t, 1, 1)", "runtime"),
        ("string.format('%99999999d', 1)", "runtime"),
        ("utf8.char(table.unpack({}, 1, 1e6))", "runtime"),
        ("select(-2^31, 1)", "runtime"),
    ])
    func sizeOverflows(script: String, kind: String) throws {
        try Probe.expectError(kind, script)
    }

    /// A sparse table whose border (#t) is 2^40: the standard insert/remove/sort would loop 2^40 times in C.
    @Test(arguments: ["table.insert(t, 1, 0)", "table.remove(t, 1)", "table.sort(t)", "table.unpack(t)"])
    func hugeBorder(operation: String) throws {
        let keys = (4...40).map { "[\(1 << $0)] = 1" }.joined(separator: ", ")
        let script = "local t = {1, 2, 3, 4, 5, 6, 7, 8, [9] = 1, \(keys)}\nassert(#t == 2^40)\n\(operation)"
        let verdict = try Probe.expectError("runtime", script)
        #expect(verdict.message?.contains("range too large") == true)
    }

    /// A gmatch iterator keeps its matcher between calls: one that failed with "pattern too complex" must not come
    /// back with its depth limit spent (the next call recursed until the C stack ran out and the process died).
    @Test func gmatchAfterATooComplexPattern() throws {
        let verdict = try Probe.expectError(
            "runtime",
            """
            local it = string.rep('a', 400000):gmatch(string.rep('a?', 400000))
            assert(not pcall(it))
            return it()
            """)
        #expect(verdict.message?.contains("pattern too complex") == true, "\(verdict)")
    }

    /// Deeply nested source and data structures stay bounded by Lua's own C-stack limits.
    @Test func deepNesting() throws {
        try Probe.expectError("syntax", "return " + String(repeating: "(", count: 100_000) + "1")
        try Probe.expectError("syntax", "return " + String(repeating: "{", count: 100_000))
        try Probe.expectError("memoryLimit", "local function f(n) return f(n + 1) + 1 end return f(1)")
        let verdict = try Probe.expectError("runtime", "local function f() return string.gsub('a', 'a', f) end f()")
        #expect(verdict.message?.contains("stack overflow") == true)
    }
}

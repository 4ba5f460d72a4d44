import LuaSandbox
import Testing

/// Escape class 2: loading bytecode.
@Suite struct BytecodeTests {
    @Test func dumpingAFunctionIsImpossible() throws {
        let verdict = try Probe.expectError("runtime", "local f = function() end return load(string.dump(f))")
        #expect(verdict.message?.contains("dump") == true)
    }

    @Test func binaryChunkIsRejectedAsSyntax() throws {
        let crafted = "\u{1B}Lua\u{54}\u{00}\u{19}\u{93}\r\n\u{1A}\n\u{04}\u{08}\u{08}xV\u{00}\u{00}"
        try Probe.expectError("syntax", crafted)
        let sandbox = try LuaSandbox()
        #expect {
            try sandbox.load(name: "rules/binary.lua", source: crafted)
        } throws: { error in
            (error as? LuaError)?.kind == .syntax && (error as? LuaError)?.message.contains("binary") == true
        }
    }
}

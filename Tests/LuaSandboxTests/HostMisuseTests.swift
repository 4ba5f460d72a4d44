import LuaSandbox
import Testing

/// Escape class 5: host API misuse, re-entrancy and hostile returned tables.
@Suite struct HostMisuseTests {
    @Test(arguments: ["parley.log({})", "parley.log(nil)", "parley.log(42)", "parley.log()"])
    func logRejectsNonStrings(script: String) throws {
        let verdict = try Probe.expectError("runtime", script)
        #expect(verdict.message?.contains("bad argument #1 to 'log'") == true)
    }

    @Test func logCapsLineLengthAndLineCount() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/log.lua",
            source: """
                function long() parley.log(string.rep("é", 5000)) end
                function many() for i = 1, 1000 do print(i) end end
                """
        )
        let long = try sandbox.call(rule, function: "long")
        #expect(long.log.count == 1)
        #expect(long.log[0].utf8.count <= SandboxPolicy.maxLogLineBytes)
        #expect(!long.log[0].contains("\u{FFFD}"))
        #expect {
            try sandbox.call(rule, function: "many")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.message.contains("log limit") && error.log.count == SandboxPolicy.maxLogLines
        }
    }

    @Test func reloadingReleasesTheOldRuleAndRefusesItsHandles() throws {
        let sandbox = try LuaSandbox()
        var first: LuaFunctionHandle?
        // Each version holds a megabyte through its function: kept after a reload, forty would pass the 16 MiB cap.
        for version in 1...40 {
            let rule = try sandbox.load(
                name: "rules/big.lua",
                source: "local big = string.rep('x', 1000000) .. '\(version)'\nfunction size() return #big end")
            let function = try sandbox.function(rule, named: "size")
            first = first ?? function
            #expect(try sandbox.call(function).value == .integer(1_000_000 + Int64(String(version).count)))
        }
        let stale = try #require(first)
        #expect {
            try sandbox.call(stale)
        } throws: { error in
            (error as? LuaError)?.message.contains("replaced by a newer load") == true
        }
    }

    @Test func reentrantHostCallsStayBounded() throws {
        let verdict = try Probe.expectError(
            "runtime",
            "local t = setmetatable({}, {__tostring = function(self) print(self) return 'x' end}) print(t)"
        )
        #expect(verdict.message?.contains("stack overflow") == true)
        let nested = try Probe.run(
            """
            local t = setmetatable({}, {__tostring = function() parley.log('inner') return 'outer' end})
            print(t)
            """
        )
        #expect(nested.status == "ok")
        #expect(nested.log == ["inner", "outer"])
    }

    @Test func hostileResultMetamethodsNeverRun() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/hostile.lua",
            source: """
                function f()
                  local boom = function() error("metamethod ran") end
                  return setmetatable({a = 1}, {__index = boom, __pairs = boom, __len = boom, __newindex = boom})
                end
                """
        )
        #expect(try sandbox.call(rule, function: "f").value == ["a": 1])
    }

    @Test func staleHandlesAreRejected() throws {
        let sandbox = try LuaSandbox()
        let old = try sandbox.load(name: "rules/r.lua", source: "function f(t) return t.x end")
        let function = try sandbox.function(old, named: "f")
        let escaped = try sandbox.withView(["x": 1]) { view throws(LuaError) in
            #expect(try sandbox.call(function, arguments: [.view(view)]).value == 1)
            return view
        }
        #expect {
            try sandbox.call(function, arguments: [.view(escaped)])
        } throws: { error in
            (error as? LuaError)?.kind == .invalidArgument
        }
        _ = try sandbox.load(name: "rules/r.lua", source: "function f() return 2 end")
        #expect {
            try sandbox.function(old, named: "f")
        } throws: { error in
            (error as? LuaError)?.kind == .invalidArgument
        }
        let current = try #require(sandbox.rule(named: "rules/r.lua"))
        #expect(try sandbox.call(current, function: "f").value == 2)
    }

    @Test func foreignAndUnknownHandlesAreRejected() throws {
        let first = try LuaSandbox()
        let second = try LuaSandbox()
        let rule = try first.load(name: "rules/r.lua", source: "function f() return 1 end")
        #expect(throws: LuaError.self) { try second.function(rule, named: "f") }
        #expect {
            try first.call(rule, function: "missing")
        } throws: { error in
            (error as? LuaError)?.kind == .undefinedFunction
        }
        #expect(try first.functionIfDefined(rule, named: "missing") == nil)
        #expect(try first.functionIfDefined(rule, named: "f") != nil)
        #expect {
            try first.load(name: "", source: "")
        } throws: { error in
            (error as? LuaError)?.kind == .invalidArgument
        }
        #expect {
            try first.load(name: String(repeating: "n", count: 60), source: "")
        } throws: { error in
            (error as? LuaError)?.kind == .invalidArgument
        }
    }
}

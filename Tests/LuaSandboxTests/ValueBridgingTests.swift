import LuaSandbox
import Testing

/// Values cross the boundary intact, views are read-only, and results are bounded.
@Suite struct ValueBridgingTests {
    static let echoSource = "function echo(...) return ... end"

    @Test(arguments: [
        LuaValue.nil, true, false, 0, .integer(.max), .integer(.min), 1.5, .number(-0.25), "", "héllo\u{0}wörld",
        ["a", 1, 2.5, true], ["key": "value", "nested": ["deep": [1, 2, 3]]], ["list": [["a": 1], ["b": 2]]],
    ])
    func roundTrip(value: LuaValue) throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(name: "rules/echo.lua", source: Self.echoSource)
        #expect(try sandbox.call(rule, function: "echo", arguments: [value]).value == value)
    }

    @Test func luaTablesMapToArraysOrTables() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/shapes.lua",
            source: """
                function empty() return {} end
                function sparse() return {[1] = "a", [3] = "c"} end
                function mixed() return {"a", x = 1} end
                function float() return {[1.5] = true} end
                function bad_key() return {[true] = 1} end
                function func() return print end
                """
        )
        #expect(try sandbox.call(rule, function: "empty").value == .table([:]))
        #expect(try sandbox.call(rule, function: "sparse").value == ["1": "a", "3": "c"])
        #expect(try sandbox.call(rule, function: "mixed").value == ["1": "a", "x": 1])
        #expect(try sandbox.call(rule, function: "float").value == ["1.5": true])
        for name in ["bad_key", "func"] {
            #expect {
                try sandbox.call(rule, function: name)
            } throws: { error in
                (error as? LuaError)?.kind == .invalidResult
            }
        }
    }

    @Test(arguments: [
        "local t = {} t.self = t return t",
        "local t = {} local c = t for i = 1, 100 do c.next = {} c = c.next end return t",
        "local t = {} for i = 1, 20000 do t[i] = i end return t",
        "return string.rep('x', 2 * 1024 * 1024)",
    ])
    func hostileResultsAreBounded(body: String) throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(name: "rules/bounded.lua", source: "function f()\n\(body)\nend")
        #expect {
            try sandbox.call(rule, function: "f")
        } throws: { error in
            (error as? LuaError)?.kind == .invalidResult
        }
        #expect(!sandbox.isPoisoned)
    }

    @Test func viewsAreReadOnlyButReadable() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/view.lua",
            source: """
                function read(turn)
                  local n = 0
                  for k, v in pairs(turn.visitor) do n = n + 1 end
                  return {type(turn), #turn.tags, table.concat(turn.tags, ","), turn.tags[2], n, turn.visitor.plan}
                end
                function write_field(turn) turn.text = "changed" end
                function write_nested(turn) turn.tags[1] = "changed" end
                function insert(turn) table.insert(turn.tags, "x") end
                function raw(turn) rawset(turn, "text", "changed") end
                """
        )
        let turn: LuaValue = ["text": "hi", "tags": ["a", "b"], "visitor": ["plan": "pro", "country": "DE"]]
        try sandbox.withView(turn) { view throws(LuaError) in
            let read = try sandbox.call(sandbox.function(rule, named: "read"), arguments: [.view(view)])
            #expect(read.value == ["table", 2, "a,b", "b", 2, "pro"])
            for name in ["write_field", "write_nested", "insert", "raw"] {
                #expect {
                    try sandbox.call(sandbox.function(rule, named: name), arguments: [.view(view)])
                } throws: { error in
                    (error as? LuaError)?.kind == .runtime
                }
            }
            let again = try sandbox.call(sandbox.function(rule, named: "read"), arguments: [.view(view)])
            #expect(again.value == read.value)
        }
    }

    @Test func errorsCarryRuleAndLine() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/acme/escalation.lua",
            source: "function on_message(turn)\n  local x = 1\n  error('escalate failed')\nend"
        )
        #expect {
            try sandbox.call(rule, function: "on_message")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.rule == "rules/acme/escalation.lua" && error.line == 3
                && error.message == "rules/acme/escalation.lua:3: escalate failed"
        }
        #expect {
            try sandbox.load(name: "rules/acme/broken.lua", source: "function f(\n  return 1\nend")
        } throws: { error in
            (error as? LuaError)?.kind == .syntax && (error as? LuaError)?.line == 2
        }
        #expect(LuaError.init(kind: .runtime, message: "r.lua:x: y", rule: "r.lua").line == nil)
    }

    @Test func returnLineIsTracedOnRequest() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/acme/escalation.lua",
            source: """
                local function angry(turn) return turn.sentiment < 0 end
                function on_message(turn)
                  if angry(turn) then
                    return "escalate"
                  end
                  return nil
                end
                """
        )
        let function = try sandbox.function(rule, named: "on_message")
        let angry = try sandbox.call(function, arguments: [.value(["sentiment": -1])], traceReturnLine: true)
        #expect(angry.value == "escalate")
        #expect(angry.returnLine == 4)
        let calm = try sandbox.call(function, arguments: [.value(["sentiment": 1])], traceReturnLine: true)
        #expect(calm.returnLine == 6)
        #expect(try sandbox.call(function, arguments: [.value(["sentiment": 1])]).returnLine == nil)
    }

    @Test func hostHelpersWork() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/helpers.lua",
            source: "function f() print('a', 1, nil) parley.log('b') return parley.now() end"
        )
        let result = try sandbox.call(rule, function: "f")
        #expect(result.log == ["a\t1\tnil", "b"])
        guard case .number(let now) = result.value else {
            Issue.record("parley.now() did not return a number")
            return
        }
        let reference = Double(ContinuousClock.now.duration(to: .now).components.seconds)
        #expect(now > 1_700_000_000 + reference)
    }
}

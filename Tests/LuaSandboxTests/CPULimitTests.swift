import LuaSandbox
import Testing

/// Escape class 6: burning CPU in loops, error handlers, coroutines and pattern matching.
@Suite struct CPULimitTests {
    @Test(arguments: [
        "while true do end",
        "while true do pcall(function() while true do end end) end",
        "xpcall(function() while true do end end, function() while true do end end) while true do end",
        "xpcall(error, function() while true do end end)",
        "local function h() while true do end end xpcall(function() xpcall(error, h) end, h)",
        "local function f() return pcall(f) end while true do f() end",
        "for i = 1, math.maxinteger do local ok = pcall(error, i) end",
        "return string.find(string.rep('a', 60000), '.-.-.-.-b')",
        "return string.gsub(string.rep('a', 30000), '(.-)(.-)(.-)b', '')",
        "for w in string.gmatch(string.rep('a', 30000), 'a*a*a*b') do end",
        "return string.find(string.rep('a', 2000000), string.rep('a', 1000000) .. 'b', 1, true)",
        "return string.match(string.rep('(', 100000), '%b()')",
    ])
    func instructionBudgetHolds(script: String) throws {
        let verdict = try Probe.expectError("instructionLimit", script)
        #expect(verdict.message?.hasSuffix("instruction limit exceeded") == true)
    }

    @Test func coroutinesAreNotAvailable() throws {
        let verdict = try Probe.expectError("runtime", "coroutine.wrap(function() while true do end end)()")
        #expect(verdict.message?.contains("coroutine") == true)
    }

    @Test(arguments: [
        "while true do end",
        "return string.find(string.rep('a', 60000), '.-.-.-.-b')",
        "local a = string.rep('a', 2e6) while true do local x = a .. 'b' end",
    ])
    func deadlineHolds(script: String) throws {
        try Probe.expectError(
            "deadline",
            script,
            arguments: ["--instructions", "1000000000000", "--deadline-ms", "100"]
        )
    }

    @Test func killIsStickyAndRetiresTheSandbox() throws {
        let sandbox = try LuaSandbox(limits: LuaLimits(instructions: 50_000))
        let rule = try sandbox.load(
            name: "rules/spin.lua",
            source: """
                function spin()
                  for i = 1, 100 do pcall(function() while true do end end) end
                  return "survived"
                end
                """
        )
        #expect {
            try sandbox.call(rule, function: "spin")
        } throws: { error in
            (error as? LuaError)?.kind == .instructionLimit && (error as? LuaError)?.isLimit == true
        }
        #expect(sandbox.isPoisoned)
        #expect {
            try sandbox.call(rule, function: "spin")
        } throws: { error in
            (error as? LuaError)?.kind == .unavailable
        }
    }

    @Test func budgetCountsWork() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/work.lua",
            source: "function work(n) local s = 0 for i = 1, n do s = s + i end return s end"
        )
        let result = try sandbox.call(rule, function: "work", arguments: [100_000])
        #expect(result.value == .integer(5_000_050_000))
        #expect(result.instructions >= 150_000)
        #expect(result.instructions <= 400_000)
    }
}

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
        // A bracket class is scanned byte by byte at every step: a class of megabytes is charged by its length.
        "return string.find(string.rep('b', 5000), '[' .. string.rep('a', 6000000) .. ']')",
        "return string.find(string.rep('b', 5000), '%f[' .. string.rep('a', 6000000) .. ']')",
        "return string.find(string.rep('b', 5000), '[' .. string.rep('a', 6000000) .. ']*c')",
        // Library calls that scan a whole string without running an instruction are charged by its length.
        "local s = string.rep('a', 8000000) for i = 1, 1e9 do utf8.len(s) end",
        "local f = string.rep('i', 1000000) for i = 1, 1e9 do string.packsize(f) end",
        "local s = string.rep(' ', 8000000) for i = 1, 1e9 do tonumber(s) end",
        "local s = string.rep(' ', 8000000) .. '1' for i = 1, 1e9 do local x = s + 0 end",
        // A megabyte allocated per hook tick restarts the count: the instructions run in the tick still count.
        "local a = string.rep('a', 2^20) while true do local x = a .. 'b' end",
        // A replacement is walked at every match: empty matches of a long replacement append nothing.
        "return string.gsub(string.rep('x', 2000), '', string.rep('%0', 3000000))",
        // An empty table at the head of a long __index chain: every element read walks the chain in C.
        """
        local src = {} local t = src
        for i = 1, 1990 do local n = {} setmetatable(t, {__index = n}) t = n end
        for i = 1, 1e9 do table.move(src, 1, 99999, 1, {}) end
        """,
        """
        local src = {} local t = src
        for i = 1, 1990 do local n = {} setmetatable(t, {__index = n}) t = n end
        for i = 1, 1e9 do local n = select('#', table.unpack(src, 1, 99999)) end
        """,
    ])
    func instructionBudgetHolds(script: String) throws {
        let verdict = try Probe.expectError("instructionLimit", script)
        #expect(verdict.message?.hasSuffix("instruction limit exceeded") == true)
    }

    @Test func repeatingNothingReturnsAtOnce() throws {
        // Stock string.rep copies an empty string n - 1 times with no instruction run, out of the limits' reach.
        try Probe.expectTrue(
            """
            function check()
              return string.rep('', math.maxinteger) == '' and string.rep('', 2^62, '') == ''
                and ('x'):rep(0) == '' and ('ab'):rep(3, ',') == 'ab,ab,ab' and ('x'):rep(-1) == ''
            end
            """)
    }

    @Test func chargedFunctionsKeepTheirResults() throws {
        // Charging by length wraps these functions: every result, and stock Lua's argument conversions, stay.
        try Probe.expectTrue(
            """
            function check()
              local t = table.pack(utf8.len("h\\195\\169llo"), utf8.len(12345), utf8.codepoint("abc", 1, 3),
                utf8.offset("abc", 2), string.packsize("i4"), #string.pack("i4", 7),
                string.unpack("i4", string.pack("i4", 7)))
              return table.concat(t, ",", 1, t.n) == "5,5,97,2,4,4,7,5" and select("#", utf8.codepoint("abc", 1, 3)) == 3
                and not pcall(utf8.len, nil) and select(2, pcall(string.pack, nil)):find("bad argument #1") ~= nil
            end
            """)
    }

    @Test func chargedConversionsAndTableFunctionsKeepTheirResults() throws {
        try Probe.expectTrue(
            """
            function check()
              local t = {5, 3, 9, 1}
              table.sort(t) table.insert(t, 4) table.insert(t, 1, 0) local removed = table.remove(t, 2)
              local moved = table.move({1, 2, 3}, 1, 3, 2, {})
              local proxy = setmetatable({}, {__index = {10, 20, 30}})
              return tonumber("0x10") == 16 and tonumber("10", 2) == 2 and tonumber(5) == 5 and tonumber({}) == nil
                and tonumber(" 12 ") == 12 and "10" + 1 == 11 and "3" * "4" == 12 and -"2" == -2 and "7" // 2 == 3
                and table.concat(t, ",") == "0,3,5,9,4" and removed == 1 and moved[4] == 3
                and table.concat(proxy, "-", 1, 3) == "10-20-30" and select(3, table.unpack(proxy, 1, 3)) == 30
            end
            """)
    }

    @Test(arguments: [
        // A function at the end of the chain, run at the first missing element, makes the table the head of a
        // 1990-table chain that every later element would walk in C, charged as one table.
        """
        local head = {} local cur = head
        for i = 1, 1990 do local n = {} setmetatable(cur, {__index = n}) cur = n end
        local t = {}
        setmetatable(t, {__index = function() setmetatable(t, {__index = head}) end})
        return table.unpack(t, 1, 99999)
        """,
        """
        local t = setmetatable({}, {__index = function() return "x" end})
        return table.concat(t, ",", 1, 10)
        """,
        "return table.move({1, 2, 3}, 1, 3, 1, setmetatable({}, {__newindex = function() end}))",
        "local t = setmetatable({1, 2}, {__newindex = function() end}) table.insert(t, 3)",
        // Sorting reads between the comparator's calls: a table given __index meanwhile is refused at once.
        """
        local head = {} local cur = head
        for i = 1, 1990 do local n = {} setmetatable(cur, {__index = n}) cur = n end
        local t = {} for i = 1, 1000 do t[i] = i % 7 end
        table.sort(t, function(a, b) setmetatable(t, {__index = head}) return a < b end)
        """,
        "table.sort(setmetatable({3, 1, 2}, {__index = {}}))",
        // The function at the very end of the longest chain Lua follows; and a chain that loops.
        """
        local head = {} local cur = head
        for i = 1, 1999 do local n = {} setmetatable(cur, {__index = n}) cur = n end
        setmetatable(cur, {__index = function() end})
        return table.unpack(head, 1, 10)
        """,
        "local t = {} setmetatable(t, {__index = t}) return table.concat(t, ',', 1, 3)",
    ])
    func tableFunctionsRefuseChainsThatMayChange(script: String) throws {
        let verdict = try Probe.expectError("runtime", script)
        #expect(
            verdict.message?.contains("not supported in the sandbox") == true
                || verdict.message?.contains("while it was sorted") == true, "\(verdict.message ?? "")")
    }

    @Test func sortingStillSortsWithAndWithoutAComparator() throws {
        try Probe.expectTrue(
            """
            function check()
              local a, b = {5, 3, 9, 1}, {"pear", "apple", "fig"}
              table.sort(a) table.sort(b, function(x, y) return #x < #y end)
              local c = {setmetatable({v = 2}, {__lt = function(x, y) return x.v < y.v end}),
                setmetatable({v = 1}, {__lt = function(x, y) return x.v < y.v end})}
              table.sort(c)
              return table.concat(a, ",") == "1,3,5,9" and table.concat(b, ",") == "fig,pear,apple" and c[1].v == 1
            end
            """)
    }

    @Test func randomSeedsAreNoAddresses() throws {
        // Stock randomseed() returns its seeds, one of them the state's address; here it takes seeds and returns none.
        try Probe.expectTrue(
            """
            function check()
              local unseeded = pcall(math.randomseed)
              local returned = select("#", math.randomseed(42, 7))
              local first = {math.random(1000), math.random(1000), math.random(1000)}
              math.randomseed(42, 7)
              local again = {math.random(1000), math.random(1000), math.random(1000)}
              return not unseeded and returned == 0 and table.concat(first, ",") == table.concat(again, ",")
            end
            """)
    }

    @Test(arguments: [
        // 900,000 copies in C: charged about 56,000 instructions, over this budget of 50,000.
        "local s = string.rep('a', 900000) return #s",
        // 900,000 values pushed in C: the same charge, on top of the string's own.
        "local s = string.rep('a', 450000) return select('#', s:byte(1, -1))",
    ])
    func copiesAndPushesInCAreCharged(script: String) throws {
        try Probe.expectError("instructionLimit", script, arguments: ["--instructions", "50000"])
    }

    @Test func chargedByteKeepsItsResults() throws {
        try Probe.expectTrue(
            """
            function check()
              local s = "hello"
              return s:byte() == 104 and s:byte(-1) == 111 and select("#", s:byte(1, -1)) == 5
                and select("#", s:byte(10)) == 0 and select(2, s:byte(-2, 5)) == 111 and s:byte(0) == nil
                and select("#", s:byte(-100, 2)) == 2 and not pcall(string.byte, nil)
            end
            """)
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

    @Test(arguments: ["1", "1.0", "'1'"])
    func insertingAtTheFrontIsChargedForWhatItMoves(position: String) throws {
        // table.insert reads its position as Lua does: 1.0 and "1" move the whole table, as 1 does.
        let sandbox = try LuaSandbox(limits: LuaLimits(instructions: 10_000_000))
        let rule = try sandbox.load(
            name: "rules/front.lua",
            source: """
                local t = {}
                for i = 1, 60000 do t[i] = i end
                function front() table.insert(t, \(position), 0) return #t end
                """)
        let result = try sandbox.call(rule, function: "front")
        #expect(result.value == .integer(60_001))
        #expect(result.instructions >= 60_000, "charged \(result.instructions) for moving 60,000 elements")
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

import LuaSandbox
import Testing

/// The step-counted pattern matcher behaves like stock Lua 5.4's string library.
@Suite struct PatternMatchingTests {
    /// Output of the same script under the stock `lua5.4` interpreter (Debian 5.4.4).
    static let stockOutput =
        #"5 7 ; 3 4 ; 3 3 ; 2 2 ; 1 5 ell ; 1 0 ; nil ; key value ; trim ; 2024 01 15 ; (a(b)c) ; THE ; 3 5 ; abc ;  long ; é ; - ; ] ; bc ; nil ; aaab ; ab ; b ; hell0 w0rld 2 ; <hello> <world> 2 ; hello hello world 1 ; -a-b-c- 4 ; Ann is 7 2 ; X y Z 3 ; Abc 1 ; a;b;;c 3 ; he%%o 2 ; 1h2e3l4l5o6 6 ; a 1 ; b 2 ; c 3 ; one ; two ; three ; 1 ; 2 ; 3 ; 4 ; false malformed pattern (missing ']') ; false malformed pattern (ends with '%') ; true xax 2 ; false invalid capture index %1 ; false invalid capture index %2 ;"#

    static let script = #"""
        function check()
          local out = {}
          local function add(...) local t = table.pack(...) for i = 1, t.n do out[#out + 1] = tostring(t[i]) end out[#out + 1] = ";" end
          add(string.find("hello world", "o w"))
          add(string.find("hello world", "l+"))
          add(string.find("hello", "l", 1, true))
          add(string.find("a.b", ".", 1, true))
          add(string.find("hello", "^h(.-)o$"))
          add(string.find("", ""))
          add(string.find("abc", "", 10))
          add(string.match("key = value", "(%w+)%s*=%s*(%w+)"))
          add(string.match("  trim  ", "^%s*(.-)%s*$"))
          add(string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
          add(string.match("f(a(b)c)d", "%b()"))
          add(string.match("THE (quick) fox", "%f[%a]%a+"))
          add(string.match("hello", "()ll()"))
          add(string.match("abcabc", "(abc)%1"))
          add(string.match("x = [[long]]", "%[(=*)%[(.-)%]%1%]"))
          add(string.match("caf\195\169", "[\128-\255]+"))
          add(string.match("a-b", "[%-]"))
          add(string.match("a]b", "[]]"))
          add(string.match("abc", "[^a]+"))
          add(string.match("aaa", "a-b"))
          add(string.match("aaab", "a-b"))
          add(string.match("ab", "a?b"))
          add(string.match("b", "a?b"))
          add(string.gsub("hello world", "o", "0"))
          add(string.gsub("hello world", "(%w+)", "<%1>"))
          add(string.gsub("hello world", "%w+", "%0 %0", 1))
          add(string.gsub("abc", "", "-"))
          add(string.gsub("$name is $age", "%$(%w+)", {name = "Ann", age = 7}))
          add(string.gsub("x y z", "%a", function(c) if c == "y" then return false end return c:upper() end))
          add(string.gsub("abc", "^a", "A"))
          add(string.gsub("a,b,,c", ",", ";"))
          add(string.gsub("hello", "l", "%%"))
          add(string.gsub("hello", "()", "%1"))
          for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do add(k, v) end
          for w in string.gmatch("one two  three", "%a+") do add(w) end
          for p in string.gmatch("abc", "()") do add(p) end
          add(pcall(string.find, "a", "[a"))
          add(pcall(string.find, "a", "%"))
          add(pcall(string.gsub, "a", "(", "x"))
          add(pcall(string.match, "a", "%1"))
          add(pcall(string.gsub, "abc", "%w", "%2"))
          return table.concat(out, " ")
        end
        """#

    @Test func matchesStockLua() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(name: "rules/patterns.lua", source: Self.script)
        #expect(try sandbox.call(rule, function: "check").value == .string(Self.stockOutput))
    }
}

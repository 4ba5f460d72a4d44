import LuaSandbox
import Testing

/// Escape class 1: reaching os, io, require, package or an unrestricted `load`.
@Suite struct LibraryReachTests {
    @Test func dangerousGlobalsAreAbsent() throws {
        try Probe.expectTrue(
            """
            function check()
              return os == nil and io == nil and debug == nil and package == nil and require == nil
                and load == nil and loadstring == nil and loadfile == nil and dofile == nil
                and coroutine == nil and warn == nil and string.dump == nil
            end
            """
        )
    }

    @Test(arguments: [
        #"os.execute("id")"#,
        #"io.open("/etc/passwd")"#,
        #"require("os")"#,
        #"package.loadlib("libc.so.6", "system")"#,
        #"load("return _G")()"#,
        #"dofile("/etc/passwd")"#,
    ])
    func reachingALibraryFails(script: String) throws {
        let verdict = try Probe.expectError("runtime", script)
        #expect(verdict.message?.contains("nil value") == true)
    }

    @Test func globalsAreExactlyThePolicy() throws {
        let sandbox = try LuaSandbox()
        let rule = try sandbox.load(
            name: "rules/names.lua",
            source: "function names() local t = {} for k in pairs(_G) do t[#t + 1] = k end return t end"
        )
        guard case .array(let names) = try sandbox.call(rule, function: "names").value else {
            Issue.record("names() did not return an array")
            return
        }
        let set = Set(names.compactMap { if case .string(let name) = $0 { name } else { nil } })
        #expect(set == SandboxPolicy.globals)
    }
}

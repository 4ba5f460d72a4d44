import Foundation
import Testing

/// `parley rules test` and `parley rules replay`, run as the real executable.
@Suite("parley rules test and replay", .serialized)
struct RulesCommandTests {
    static let rules = RulesAPITests.examples.deletingLastPathComponent()

    func file(_ text: String, _ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("every shipped example and default passes its fixtures through the command")
    func examplesPass() throws {
        for folder in ["examples", "default"] {
            let directory = Self.rules.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".lua")
            {
                let rule = directory.appendingPathComponent(name).path
                let fixtures = rule.replacingOccurrences(of: ".lua", with: ".fixtures.jsonl")
                let child = try ChildProcess([ChildProcess.parley, "rules", "test", rule, "--fixtures", fixtures])
                #expect(child.wait() == 0, "\(name): \(child.output)")
                #expect(child.output.contains(" 0 failed"), "\(name): \(child.output)")
            }
        }
    }

    @Test("a fixture that is not met exits 1 and says why; without fixtures the rule runs on a default turn")
    func failingFixture() throws {
        let rule = try file("function on_message(t) return { reply = 'pong' } end", "pong.lua")
        let fixtures = try file(
            """
            {"name": "right", "turn": {"text": "ping"}, "expect": {"reply": "pong"}}
            {"name": "wrong", "turn": {"text": "ping"}, "expect": null}
            """, "pong.fixtures.jsonl")
        let child = try ChildProcess([ChildProcess.parley, "rules", "test", rule, "--fixtures", fixtures])
        #expect(child.wait() == 1)
        #expect(child.output.contains("FAIL  wrong (line 2)"))
        #expect(child.output.contains("expected no decision"))
        #expect(child.output.contains("1 passed, 1 failed"))

        let plain = try ChildProcess([ChildProcess.parley, "rules", "test", rule])
        #expect(plain.wait() == 0)
        #expect(plain.output.contains("default turn"))
        #expect(plain.output.contains(#"{"reply":"pong"}"#))

        let badFixtures = try file("{\"turn\": 3}", "bad.jsonl")
        let invalid = try ChildProcess([ChildProcess.parley, "rules", "test", rule, "--fixtures", badFixtures])
        #expect(invalid.wait() != 0)
        #expect(invalid.output.contains("line 1"))
    }

    @Test(
        "a rule that hits a limit reports which one, and the process exits normally",
        arguments: [
            ("function on_message(t) while true do end end", "instructionLimit"),
            ("function on_message(t) local s = string.rep('x', 100000000) end", "memoryLimit"),
            (
                "function on_message(t) local s = string.rep('a', 20000) .. 'b'; return s:find('(a*)*c') end",
                "instructionLimit"
            ),
        ])
    func limits(source: String, limit: String) throws {
        let rule = try file(source, "hostile.lua")
        // A generous deadline, so that on a loaded machine the instruction budget is what stops the CPU attacks.
        let child = try ChildProcess([ChildProcess.parley, "rules", "test", rule, "--deadline-ms", "10000"])
        #expect(child.wait() == 1, "exits with a failure, not a crash: \(child.output)")
        #expect(child.output.contains(limit), "\(child.output)")
    }

    @Test("replay re-runs stored turns through the active rule and a candidate and prints the differences")
    func replay() async throws {
        let configuration = Harness.configuration()
        let directory = configuration.dataDirectory
        try await Harness.run(configuration) { harness in
            let admin = try await harness.demoAdmin()
            let active = RulesAPITests.replying("active pong")
            _ = try await harness.call(.put, "/api/rules/pinger", json: ["source": active], token: admin)
            _ = try await harness.call(.post, "/api/rules/pinger/activate", token: admin)
            let visitor = try await harness.session()
            for text in ["ping", "hello", "PING again"] {
                _ = try await harness.say(text, token: visitor.token, conversation: visitor.conversation)
            }
            let candidate = try file(
                """
                function on_message(turn)
                  if turn.text == "ping" then return { reply = "active pong" } end
                end
                """, "pinger.lua")
            // The command reads the server's database: the SQLite file in its data directory, or its PostgreSQL
            // schema when the suite runs on PostgreSQL.
            let database = configuration.databaseURL.isEmpty ? [] : ["--database-url", configuration.databaseURL]
            let child = try ChildProcess(
                [
                    ChildProcess.parley, "rules", "replay", "--data-dir", directory, "--tenant",
                    harness.seed.demoTenantID.rawValue, "--rule", "pinger", "--candidate", candidate, "--since",
                    "2020-01-01",
                ] + database)
            #expect(child.wait() == 0, "\(child.output)")
            #expect(child.output.contains("3 turn(s) replayed: 2 agree, 1 differ"), "\(child.output)")
            #expect(child.output.contains(#"active:    {"reply":"active pong"}"#))
            #expect(child.output.contains("candidate: null"))

            let unknown = try ChildProcess([
                ChildProcess.parley, "rules", "replay", "--data-dir", directory, "--tenant", "nobody", "--rule",
                "pinger", "--candidate", candidate,
            ])
            #expect(unknown.wait() != 0)
            #expect(unknown.output.contains("no tenant"))
        }
    }
}

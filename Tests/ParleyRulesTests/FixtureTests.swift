import Foundation
import LuaSandbox
import ParleyCore
import ParleyRules
import Testing

@Suite("Rule fixtures")
struct FixtureTests {
    let rule = Rules.program(
        "refund",
        """
        function on_message(turn)
          if turn.intent == "refund" and (turn.sentiment or 0) <= -0.4 then
            return { escalate = { skill = "billing", priority = 2 }, tag = "refund" }
          end
        end
        """)

    @Test("fixture lines parse with defaults, and bad lines name their line")
    func parsing() throws {
        let fixtures = try RuleFixture.parse(
            jsonl: """
                {"name": "angry", "turn": {"intent": "refund", "sentiment": -0.8}, "expect": {"escalate": {"skill": "billing"}}}

                // a comment
                {"turn": {"text": "hi"}, "expect": null}
                {"event": {"type": "page_view"}, "visitor": {"visits": 3}, "expect_error": "runtime"}
                """)
        #expect(fixtures.map(\.name) == ["angry", "line 4", "line 5"])
        #expect(fixtures.map(\.line) == [1, 4, 5])
        guard case .turn(let view) = fixtures[1].input, let object = view.objectValue else {
            Issue.record("expected a turn")
            return
        }
        #expect(object["language"] == "en")
        #expect(object["state"] == "bot")
        #expect(object["visitor"]?.objectValue?["id"] == "fixture-visitor")
        guard case .event(_, let visitor) = fixtures[2].input else {
            Issue.record("expected an event")
            return
        }
        #expect(visitor.objectValue?["returning"] == .bool(true))
        #expect(fixtures[2].expectation == .failure(.runtime))

        for (line, problem) in [
            ("{\"turn\": {\"txt\": \"x\"}}", "unknown turn field 'txt'"),
            ("{\"turn\": {}, \"event\": {\"type\": \"page_view\"}}", "exactly one of 'turn' and 'event'"),
            ("{\"event\": {\"type\": \"warp\"}}", "event.type must be one of"),
            ("{\"turn\": {}, \"expect_error\": \"explosion\"}", "expect_error must be one of"),
            ("{\"turn\": {}, \"expect\": 3}", "'expect' must be null or an object"),
            ("not json", "invalid JSON"),
        ] {
            #expect {
                _ = try RuleFixture.parse(jsonl: "{\"turn\": {}}\n" + line)
            } throws: { error in
                let message = (error as? InvalidFixture)?.message ?? ""
                return message.hasPrefix("line 2:") && message.contains(problem)
            }
        }
    }

    @Test("expectations match as subsets, and a wrong rule fails its fixtures")
    func matching() throws {
        let fixtures = try RuleFixture.parse(
            jsonl: """
                {"name": "angry refund", "turn": {"intent": "refund", "sentiment": -0.8}, "expect": {"escalate": {"skill": "billing", "priority": 2}, "tag": ["refund"]}}
                {"name": "calm refund", "turn": {"intent": "refund", "sentiment": 0.2}, "expect": null}
                {"name": "wrong skill", "turn": {"intent": "refund", "sentiment": -0.8}, "expect": {"escalate": {"skill": "sales"}}}
                {"name": "expects a decision", "turn": {"intent": "greeting"}, "expect": {"reply": "hi"}}
                """)
        let results = FixtureRunner().run(rule, fixtures: fixtures)
        #expect(results.map(\.passed) == [true, true, false, false])
        #expect(results[2].mismatch == "escalate.skill differs")
        #expect(results[3].mismatch == "expected a decision, got none")
        #expect(results[0].location == "rules/refund.lua:3")
    }

    @Test("a limit kill is reported as its kind, and can be expected")
    func limits() throws {
        let spin = Rules.program("spin", "function on_message(t) while true do end end")
        let fixtures = try RuleFixture.parse(
            jsonl: """
                {"turn": {}, "expect_error": "instructionLimit"}
                {"turn": {}, "expect": null}
                {"turn": {}}
                """)
        let results = FixtureRunner(limits: LuaLimits(deadlineMilliseconds: 10_000)).run(spin, fixtures: fixtures)
        #expect(results.map(\.passed) == [true, false, false])
        #expect(results[0].actual.objectValue?["error"] == "instructionLimit")
    }
}

@Suite("Shipped rules")
struct ShippedRuleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    static func ruleFiles(_ folder: String) -> [URL] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test("at least seven examples, each with fixtures that all pass", arguments: ruleFiles("examples"))
    func example(file: URL) throws {
        try checkFixtures(of: file)
    }

    @Test("the defaults pass their fixtures", arguments: ruleFiles("default"))
    func defaults(file: URL) throws {
        try checkFixtures(of: file)
    }

    @Test("seven examples ship, covering the documented scenarios")
    func catalogue() {
        let names = Set(Self.ruleFiles("examples").map { $0.deletingPathExtension().lastPathComponent })
        #expect(
            names.isSuperset(of: [
                "refund-escalation", "vip-routing", "after-hours-email", "bot-failed-twice", "pricing-page-offer",
                "cart-abandonment", "returning-visitor",
            ]))
    }

    @Test("the embedded defaults are exactly rules/default (run scripts/rules/embed-defaults.py after editing)")
    func embeddedDefaults() throws {
        let files = Self.ruleFiles("default")
        #expect(DefaultRules.all.map(\.name.rawValue) == files.map { $0.deletingPathExtension().lastPathComponent })
        for (rule, file) in zip(DefaultRules.all, files) {
            #expect(rule.source == (try String(contentsOf: file, encoding: .utf8)))
            let fixtures = file.deletingPathExtension().appendingPathExtension("fixtures.jsonl")
            #expect(rule.fixtures == (try? String(contentsOf: fixtures, encoding: .utf8)))
        }
    }

    private func checkFixtures(of file: URL) throws {
        let name = try #require(RuleName(file.deletingPathExtension().lastPathComponent))
        let source = try String(contentsOf: file, encoding: .utf8)
        let fixturesFile = file.deletingPathExtension().appendingPathExtension("fixtures.jsonl")
        let fixtures = try RuleFixture.parse(jsonl: try String(contentsOf: fixturesFile, encoding: .utf8))
        #expect(fixtures.count >= 4)
        #expect(fixtures.contains { $0.expectation == .none }, "needs a negative case")
        #expect(
            fixtures.contains { if case .decision = $0.expectation { true } else { false } }, "needs a positive case")
        let results = FixtureRunner().run(RuleProgram(name: name, version: 1, source: source), fixtures: fixtures)
        for result in results where !result.passed {
            Issue.record("\(name) line \(result.fixture.line) '\(result.fixture.name)': \(result.mismatch ?? "")")
        }
    }
}

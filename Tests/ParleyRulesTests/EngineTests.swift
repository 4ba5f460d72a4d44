import LuaSandbox
import ParleyCore
import ParleyRules
import Testing

/// Helpers for building programs and views.
enum Rules {
    static func program(_ name: String, _ source: String, version: Int = 1) -> RuleProgram {
        RuleProgram(name: RuleName(name)!, version: version, source: source)
    }

    static func view(_ fields: [String: JSONValue] = [:]) -> JSONValue {
        (try? TurnView.filled(fields)) ?? .null
    }
}

@Suite("Rule engine")
struct EngineTests {
    let engine = RuleEngine()

    @Test("rules run in name order; the first stopping decision ends the stage and tags accumulate before it")
    func ordering() {
        let rules = [
            Rules.program("c-late", "function on_message(t) return { tag = 'late' } end"),
            Rules.program("b-escalate", "function on_message(t) return { escalate = { skill = 'billing' } } end"),
            Rules.program("a-tag", "function on_message(t) return { tag = 'first', set = { seen = true } } end"),
        ]
        let result = engine.runMessageRules(rules, view: Rules.view(), tenant: "t-order")
        #expect(result.runs.map(\.rule.rawValue) == ["a-tag", "b-escalate"])
        #expect(result.tags == ["first"])
        #expect(result.attributes == ["seen": .bool(true)])
        #expect(result.deciding?.rule.rawValue == "b-escalate")
        #expect(result.deciding?.location == "rules/b-escalate.lua:1")
    }

    @Test("the rule sees the documented view, read-only")
    func view() {
        let rule = Rules.program(
            "reader",
            """
            function on_message(turn)
              local ok = pcall(function() turn.text = "changed" end)
              return { reply = string.format("%s|%s|%d|%s|%s", turn.text, turn.visitor.attributes.plan,
                turn.message_count, tostring(turn.business_hours), tostring(ok)) }
            end
            """)
        let view = Rules.view([
            "text": "hello", "message_count": 3, "business_hours": false,
            "visitor": ["attributes": ["plan": "pro"]],
        ])
        let result = engine.runMessageRules([rule], view: view, tenant: "t-view")
        #expect(result.deciding?.decision?.action == .reply("hello|pro|3|false|false"))
    }

    @Test("an error, an invalid decision or a broken limit fails only that rule; the next ones still run")
    func failuresAreContained() {
        let rules = [
            Rules.program("a-error", "function on_message(t) error('boom') end"),
            Rules.program("b-spin", "function on_message(t) while true do end end"),
            Rules.program("c-invalid", "function on_message(t) return { answer = 'x' } end"),
            Rules.program("d-memory", "function on_message(t) local s = string.rep('x', 100000000) end"),
            Rules.program("e-works", "function on_message(t) return { tag = 'survived' } end"),
        ]
        // A generous deadline, so that on a loaded machine the instruction budget is still what stops the spin.
        let result = engine.runMessageRules(
            rules, view: Rules.view(), tenant: "t-fail", limits: LuaLimits(deadlineMilliseconds: 10_000))
        #expect(
            result.runs.map { $0.failure?.kind } == [.runtime, .instructionLimit, .invalidDecision, .memoryLimit, nil])
        #expect(result.runs[0].failure?.line == 1)
        #expect(result.tags == ["survived"])
        #expect(result.deciding == nil)
    }

    @Test("a rule without on_message is skipped; one without either function fails the upload check")
    func functions() throws {
        let eventOnly = Rules.program("events", "function on_event(e, v) return nil end")
        #expect(engine.runMessageRules([eventOnly], view: Rules.view(), tenant: "t-fn").runs.isEmpty)
        #expect(try engine.functions(of: eventOnly).get() == ["on_event"])
        #expect(engine.check(Rules.program("nothing", "local x = 1"))?.kind == .runtime)
        #expect(engine.check(Rules.program("syntax", "function on_message(t) return { end"))?.kind == .syntax)
        #expect(engine.check(Rules.program("ok", "function on_message(t) end")) == nil)
    }

    @Test("a changed source is reloaded in a pooled state")
    func reload() {
        let first = Rules.program("greeting", "function on_message(t) return { reply = 'v1' } end")
        let second = Rules.program("greeting", "function on_message(t) return { reply = 'v2' } end", version: 2)
        #expect(
            engine.runMessageRules([first], view: Rules.view(), tenant: "t-reload").deciding?.decision?.action
                == .reply("v1"))
        #expect(
            engine.runMessageRules([second], view: Rules.view(), tenant: "t-reload").deciding?.decision?.action
                == .reply("v2"))
    }

    @Test("shadow candidates are compared with the active version, never applied; reworded reasons still agree")
    func shadows() {
        let active = Rules.program(
            "refund",
            "function on_message(t) if t.sentiment and t.sentiment < -0.5 then return { escalate = {} } end end")
        let agreeing = Rules.program(
            "refund",
            "function on_message(t)\n if t.sentiment and t.sentiment < -0.5 then\n return { escalate = { reason = 'angry' } }\n end\nend",
            version: 2)
        let stricter = Rules.program(
            "refund",
            "function on_message(t) if t.sentiment and t.sentiment < -0.9 then return { escalate = {} } end end",
            version: 3)
        let view = Rules.view(["sentiment": -0.7])
        let same = engine.runMessageRules([active], shadows: [agreeing], view: view, tenant: "t-shadow")
        #expect(same.shadows.count == 1)
        #expect(same.shadows[0].agrees)
        #expect(same.runs.count == 1)
        let different = engine.runMessageRules([active], shadows: [stricter], view: view, tenant: "t-shadow")
        #expect(different.shadows[0].agrees == false)
        #expect(different.shadows[0].candidate == .null)
        #expect(different.shadows[0].activeVersion == 1)
        #expect(different.shadows[0].candidateVersion == 3)
        // The active decision is what applies.
        if case .escalate = different.deciding?.decision?.action {} else { Issue.record("active decision lost") }
        // A brand-new rule can be shadowed before it was ever active.
        let fresh = engine.runMessageRules(
            [], shadows: [stricter], view: Rules.view(["sentiment": -0.95]), tenant: "t-shadow")
        #expect(fresh.shadows[0].activeVersion == nil)
        #expect(fresh.shadows[0].active == .null)
        #expect(fresh.runs.isEmpty)
    }

    @Test("event rules return proactive messages; invalid ones fail")
    func events() throws {
        let rules = [
            Rules.program(
                "pricing",
                "function on_event(e, v) if e.type == 'time_on_page' and e.seconds >= 30 then return { message = 'Need help?', cooldown_s = 60 } end end"
            ),
            Rules.program("broken", "function on_event(e, v) return { message = 3 } end"),
        ]
        let event = try EventView.event(["type": "time_on_page", "seconds": 31])
        let visitor = try EventView.filledVisitor([:])
        let runs = engine.runEventRules(rules, event: event, visitor: visitor, tenant: "t-events")
        #expect(runs.map(\.rule.rawValue) == ["broken", "pricing"])
        #expect(runs[0].failure?.kind == .invalidDecision)
        #expect(runs[1].decision == ProactiveMessage(message: "Need help?", cooldownSeconds: 60))
        #expect(throws: InvalidFixture.self) { try EventView.event(["type": "teleport"]) }
    }

    @Test("tenants never share states: a rule loaded for one tenant is not visible to another")
    func isolation() {
        let leaky = Rules.program("probe", "secret = 'tenant-a'\nfunction on_message(t) return { reply = secret } end")
        let reader = Rules.program("probe2", "function on_message(t) return { reply = tostring(secret) } end")
        #expect(
            engine.runMessageRules([leaky], view: Rules.view(), tenant: "tenant-a").deciding?.decision?.action
                == .reply("tenant-a"))
        #expect(
            engine.runMessageRules([reader], view: Rules.view(), tenant: "tenant-a").deciding?.decision?.action
                == .reply("nil"))
        #expect(
            engine.runMessageRules([reader], view: Rules.view(), tenant: "tenant-b").deciding?.decision?.action
                == .reply("nil"))
    }
}

import LuaSandbox
import ParleyCore
import ParleyRules
import Testing

@Suite("Rule decisions")
struct DecisionTests {
    func parse(_ value: LuaValue) throws(InvalidDecision) -> MessageDecision? {
        try MessageDecision.parse(value, defaultReason: "escalated by rules/test.lua:3")
    }

    @Test("nil and an empty table are no decision")
    func none() throws {
        #expect(try parse(.nil) == nil)
        #expect(try parse(.table([:])) == nil)
        #expect(try parse(["tag": .array([])]) == nil)
    }

    @Test("an escalation takes defaults for priority and reason")
    func escalationDefaults() throws {
        let decision = try parse(["escalate": ["skill": "billing"]])
        #expect(
            decision?.action
                == .escalate(Escalation(priority: 1, skill: "billing", reason: "escalated by rules/test.lua:3")))
    }

    @Test("tag and set accompany an action; tags are deduplicated and a single tag becomes an array")
    func combined() throws {
        let decision = try #require(
            try parse(["reply": "We are closed.", "tag": "after_hours", "set": ["wants_callback": true, "score": 2]]))
        #expect(decision.action == .reply("We are closed."))
        #expect(decision.tags == ["after_hours"])
        #expect(decision.attributes == ["wants_callback": .bool(true), "score": .number(2)])
        let tags = try parse(["tag": ["a", "b", "a"]])
        #expect(tags?.tags == ["a", "b"])
        #expect(
            tags?.json == .object(["tag": .array([.string("a"), .string("b")])]))
    }

    @Test(
        "invalid decisions are refused with a reason",
        arguments: [
            (LuaValue.string("escalate"), "must be a table"),
            (["escalate": ["priority": 7]], "priority must be an integer from 0 to 3"),
            (["escalate": ["priority": 1.5]], "priority must be an integer"),
            (["escalate": ["skill": "Billing Team"]], "escalate.skill must match"),
            (["escalate": ["reason": .string(String(repeating: "x", count: 201))]], "at most 200"),
            (["escalate": ["when": "now"]], "unknown key 'escalate.when'"),
            (["reply": "hi", "block": "no"], "at most one of escalate, reply and block"),
            (["reply": ""], "reply must not be empty"),
            (["reply": 42], "reply must be a string"),
            (["answer": "hi"], "unknown key 'answer'"),
            (["tag": ["VIP"]], "each tag must match"),
            (["tag": .array(Array(repeating: "t", count: 17))], "at most 16 tags"),
            (["set": ["Email": "x"]], "attribute names must match"),
            (["set": ["nested": ["a": 1]]], "must be a string, number or boolean"),
            (["set": ["note": .string(String(repeating: "n", count: 501))]], "at most 500 characters"),
        ] as [(LuaValue, String)])
    func invalid(value: LuaValue, problem: String) {
        #expect {
            _ = try parse(value)
        } throws: { error in
            (error as? InvalidDecision)?.message.contains(problem) == true
        }
    }

    @Test("proactive messages take default delay and cooldown, and check ranges")
    func proactive() throws {
        #expect(try ProactiveMessage.parse(.nil) == nil)
        #expect(try ProactiveMessage.parse(["message": "Hi!"]) == ProactiveMessage(message: "Hi!"))
        let full = try ProactiveMessage.parse(["message": "Hi!", "delay_ms": 2000, "cooldown_s": 86400])
        #expect(full == ProactiveMessage(message: "Hi!", delayMilliseconds: 2000, cooldownSeconds: 86400))
        #expect(throws: InvalidDecision.self) { try ProactiveMessage.parse(["delay_ms": 10]) }
        #expect(throws: InvalidDecision.self) { try ProactiveMessage.parse(["message": "x", "delay_ms": 60001]) }
        #expect(throws: InvalidDecision.self) { try ProactiveMessage.parse(["message": "x", "cooldown_s": -1]) }
        #expect(throws: InvalidDecision.self) { try ProactiveMessage.parse(["message": "x", "reply": "y"]) }
    }

    @Test("rule names follow the documented pattern")
    func names() {
        #expect(RuleName("refund-escalation") != nil)
        #expect(RuleName("0-vip") != nil)
        #expect(RuleName("a_b") != nil)
        for bad in [
            "", "-lead", "_lead", "Upper", "has space", "dot.lua", "../escape", String(repeating: "a", count: 41),
        ] {
            #expect(RuleName(bad) == nil, "\(bad)")
        }
    }
}

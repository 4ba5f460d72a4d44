import Foundation
import Logging
import LuaSandbox
import ParleyCore
import ParleyRules
import ParleyStages
import Synchronization
import Testing

@Suite("Rules stage")
struct RulesStageTests {
    let engine = RuleEngine()

    func turn() -> Turn {
        var turn = Turn(
            tenantID: TenantID("t-stage"), conversationID: ConversationID("c1"), messageID: MessageID("m1"),
            visitorID: VisitorID("v1"), text: "I want a refund", messageCount: 2, botFailures: 1,
            visitorAttributes: ["plan": .string("enterprise")], tags: ["existing"])
        turn.sentiment = -0.8
        turn.intent = IntentGuess(name: "refund", confidence: 0.9)
        turn.businessHours = true
        return turn
    }

    func context(_ book: RuleBook?) -> StageContext {
        var services = StageServices()
        services[RuleBookKey.self] = book
        let tenant = Tenant(
            id: TenantID("t-stage"), name: "T", widgetKey: "wk", fallbackText: "f", createdAt: Date())
        return StageContext(tenant: tenant, now: Date(), logger: Logger(label: "test"), services: services)
    }

    @Test("without rules the stage passes")
    func noRules() async throws {
        var turn = turn()
        let stage = RulesStage(settings: .init())
        #expect(try await stage.process(&turn, context: context(nil)) == .continue(because: "no rules"))
        #expect(turn.ruleInput == nil)
    }

    @Test("an escalation stops the chain, names the rule and line, and tags, attributes and the input are kept")
    func escalation() async throws {
        let book = RuleBook(
            tenant: "t-stage",
            rules: [
                Rules.program("a-vip", "function on_message(t)\n  return { tag = 'vip', set = { seen = true } }\nend"),
                Rules.program(
                    "b-refund",
                    "function on_message(t)\n  parley.log('checking')\n  return { escalate = { skill = 'billing', priority = 2, reason = 'angry refund' } }\nend"
                ),
            ], engine: engine)
        var turn = turn()
        let outcome = try await RulesStage(settings: .init()).process(&turn, context: context(book))
        #expect(outcome.decision == .escalate(Escalation(priority: 2, skill: "billing", reason: "angry refund")))
        #expect(outcome.reason == "escalated by rules/b-refund.lua:3 (angry refund)")
        #expect(outcome.notes.contains("rules/b-refund.lua log: checking"))
        #expect(outcome.notes.contains { $0.hasPrefix("rules/a-vip.lua:2: tag vip; set seen") })
        #expect(turn.tags == ["existing", "vip"])
        #expect(turn.attributeUpdates == ["seen": .bool(true)])
        let input = try #require(turn.ruleInput?.objectValue)
        #expect(input["text"] == "I want a refund")
        #expect(input["intent"] == "refund")
        #expect(input["business_hours"] == .bool(true))
        #expect(input["message_count"] == .number(2))
        #expect(input["visitor"]?.objectValue?["attributes"]?.objectValue?["plan"] == "enterprise")
    }

    @Test("a failing rule is noted in the trace and the chain continues")
    func failureContinues() async throws {
        let book = RuleBook(
            tenant: "t-stage", rules: [Rules.program("spin", "function on_message(t) while true do end end")],
            limits: LuaLimits(deadlineMilliseconds: 10_000), engine: engine)
        var turn = turn()
        let outcome = try await RulesStage(settings: .init()).process(&turn, context: context(book))
        #expect(outcome.decision == .continue)
        #expect(outcome.reason == "1 rule, no decision, 1 failed")
        #expect(outcome.notes.contains { $0.contains("instructionLimit") })
    }

    @Test("shadow comparisons are handed to the recorder with the turn")
    func shadowRecorded() async throws {
        let recorded = Mutex<[ShadowComparison]>([])
        let book = RuleBook(
            tenant: "t-stage",
            rules: [Rules.program("refund", "function on_message(t) return { tag = 'refund' } end")],
            shadows: [Rules.program("refund", "function on_message(t) return { tag = 'refund2' } end", version: 2)],
            engine: engine,
            recordShadows: { comparisons, turn in
                #expect(turn.messageID == MessageID("m1"))
                recorded.withLock { $0 += comparisons }
            })
        var turn = turn()
        _ = try await RulesStage(settings: .init()).process(&turn, context: context(book))
        let comparisons = recorded.withLock { $0 }
        #expect(comparisons.count == 1)
        #expect(comparisons.first?.agrees == false)
        #expect(turn.tags == ["existing", "refund"])
    }
}

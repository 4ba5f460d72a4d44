import Foundation
import ParleyCore
import Testing

@Suite("Chain")
struct ChainTests {
    func registry() -> StageRegistry {
        var registry = StageRegistry()
        registry.register(RecordingStage.self)
        registry.register(ReplyingStage.self)
        registry.register(FailingStage.self)
        return registry
    }

    @Test("stages run in configured order and each appends a trace entry")
    func ordering() async throws {
        var registry = StageRegistry()
        registry.register(RecordingStage.self)
        let chain = try registry.compile(
            ChainConfig(stages: [ChainEntry(stage: "recording", settings: ["label": "a"])]))
        var turn = Fixtures.turn()
        let result = await chain.run(&turn, context: Fixtures.context())
        #expect(Fixtures.order(turn) == ["a"])
        #expect(result.trace.map(\.stage) == ["recording"])
        #expect(result.trace.first?.reason == "recorded a")
        #expect(result.outcome == .continue)
        #expect(result.decidedBy == nil)
    }

    @Test("a reply stops the chain and names the deciding stage")
    func replyStops() async throws {
        let chain = try registry().compile(
            ChainConfig(stages: [
                ChainEntry(stage: "recording"), ChainEntry(stage: "replying"), ChainEntry(stage: "failing"),
            ]))
        var turn = Fixtures.turn()
        let result = await chain.run(&turn, context: Fixtures.context())
        #expect(result.outcome.decision == .reply("hello"))
        #expect(result.decidedBy == "replying")
        #expect(result.trace.map(\.stage) == ["recording", "replying"])
        #expect(result.trace.last?.version == "2.1.0")
        #expect(result.trace.last?.decision == "reply")
    }

    @Test("a stage that throws is traced as an error and the chain goes on")
    func errorsContinue() async throws {
        let chain = try registry().compile(
            ChainConfig(stages: [ChainEntry(stage: "failing"), ChainEntry(stage: "recording")]))
        var turn = Fixtures.turn()
        let result = await chain.run(&turn, context: Fixtures.context())
        #expect(result.trace.map(\.decision) == ["error", "continue"])
        #expect(turn.tags.contains("recording"))
    }

    @Test("disabled stages do not run")
    func disabled() async throws {
        let chain = try registry().compile(
            ChainConfig(stages: [ChainEntry(stage: "recording", enabled: false), ChainEntry(stage: "replying")]))
        var turn = Fixtures.turn()
        let result = await chain.run(&turn, context: Fixtures.context())
        #expect(result.trace.map(\.stage) == ["replying"])
        #expect(turn.tags.isEmpty)
    }
}

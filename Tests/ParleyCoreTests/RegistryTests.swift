import Foundation
import ParleyCore
import Testing

@Suite("Stage registry and chain validation")
struct RegistryTests {
    let registry: StageRegistry = {
        var registry = StageRegistry()
        registry.register(RecordingStage.self)
        registry.register(ReplyingStage.self)
        registry.register(FailingStage.self)
        return registry
    }()

    func problems(_ entries: [ChainEntry]) -> [String] {
        do {
            _ = try registry.compile(ChainConfig(stages: entries))
            return []
        } catch {
            return error.problems.map(\.message)
        }
    }

    @Test("the default configuration enables built-ins and disables the rest, in registration order")
    func defaults() throws {
        let config = registry.defaultConfig
        #expect(config.stages.map(\.stage) == ["recording", "replying", "failing"])
        #expect(config.stages.map(\.enabled) == [true, true, false])
        _ = try registry.compile(config)
    }

    @Test("an unknown stage is refused")
    func unknownStage() {
        #expect(problems([ChainEntry(stage: "nope")]) == ["unknown stage 'nope'"])
    }

    @Test("a stage listed twice is refused")
    func duplicate() {
        #expect(
            problems([ChainEntry(stage: "recording"), ChainEntry(stage: "recording")]) == [
                "stage 'recording' appears more than once"
            ])
    }

    @Test("settings of the wrong type, unknown settings and invalid values are refused together")
    func badSettings() {
        let found = problems([
            ChainEntry(stage: "recording", settings: ["limit": .string("ten"), "colour": .string("red")])
        ])
        #expect(found.contains("unknown setting 'colour'"))
        #expect(found.contains { $0.contains("'limit'") })
        #expect(
            problems([ChainEntry(stage: "recording", settings: ["limit": .number(-1)])]) == ["limit must be 0 or more"])
    }

    @Test("placement constraints are checked among enabled stages")
    func placement() {
        #expect(
            problems([ChainEntry(stage: "replying"), ChainEntry(stage: "recording")]) == [
                "must come after 'recording'"
            ])
        #expect(problems([ChainEntry(stage: "replying"), ChainEntry(stage: "recording", enabled: false)]).isEmpty)
    }

    @Test("every problem carries its position")
    func positions() throws {
        do {
            _ = try registry.compile(ChainConfig(stages: [ChainEntry(stage: "recording"), ChainEntry(stage: "x")]))
            Issue.record("expected a validation error")
        } catch {
            #expect(error.problems.first?.index == 1)
            #expect(error.problems.first?.stage == "x")
        }
    }

    @Test("the settings schema is derived from the defaults")
    func schema() throws {
        let stage = try #require(registry.stage(id: "recording"))
        #expect(stage.defaultSettings["limit"] == .number(10))
        guard case .object(let schema) = stage.settingsSchema, case .object(let properties) = schema["properties"]
        else {
            Issue.record("schema is not an object")
            return
        }
        #expect(properties["label"] == .object(["type": "string", "default": "recording"]))
    }

    @Test("chain entries decode with defaults for enabled and settings")
    func entryDecoding() throws {
        let entry = try JSONDecoder().decode(ChainEntry.self, from: Data(#"{"stage":"x"}"#.utf8))
        #expect(entry == ChainEntry(stage: "x", enabled: true, settings: [:]))
    }
}

import ArgumentParser

/// `parley rules`: test tenants' Lua rules against fixtures and replay stored turns through a candidate.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Test and replay Lua rules.",
        subcommands: [RulesTestCommand.self, RulesReplayCommand.self])
}

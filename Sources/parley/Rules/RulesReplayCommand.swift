import ArgumentParser
import Foundation
import Logging
import ParleyCore
import ParleyRules
import ParleyStore

/// `parley rules replay`: re-runs a tenant's stored turns through the active rule and a candidate, and prints the diff.
struct RulesReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay stored turns through a rule's active version and a candidate file; print where they differ.",
        discussion: """
            Turns are replayed with exactly the input the rules saw when they ran (stored with each turn).
            Exits 0 whether or not they differ; the summary line says how many did.
            """)

    @OptionGroup var options: ServerOptions

    @Option(help: "The tenant's id or name.")
    var tenant: String

    @Option(help: "The rule's name.")
    var rule: String

    @Option(help: "The candidate version's Lua file.")
    var candidate: String

    @Option(help: "Only turns from this date on (YYYY-MM-DD or ISO 8601; default: 30 days ago).")
    var since: String?

    @Option(help: "At most this many turns (default 10000).")
    var limit = 10_000

    @OptionGroup var limitOptions: LimitOptions

    func run() async throws {
        guard let name = RuleName(rule) else { throw ValidationError("rule names match \(RuleName.pattern)") }
        guard let data = FileManager.default.contents(atPath: candidate),
            let source = String(data: data, encoding: .utf8)
        else { throw ValidationError("cannot read candidate file \(candidate)") }
        let start = try sinceDate()
        let configuration = try options.configuration()
        try await configuration.withStore(logger: Logger(label: "parley.rules")) { store in
            try await replay(name: name, source: source, since: start, store: store)
        }
    }

    private func replay(name: RuleName, source: String, since: Date, store: any ParleyStore) async throws {
        try await store.migrate()
        let tenants = try await store.tenants.list()
        guard
            let owner = tenants.first(where: { $0.id.rawValue == tenant })
                ?? tenants.first(where: { $0.name == tenant })
        else { throw CommandFailure("no tenant with id or name '\(tenant)'") }
        let active = try await store.rules.active(tenant: owner.id).first { $0.name == name.rawValue }
        let activeProgram = active.map { RuleProgram(name: name, version: $0.version, source: $0.source) }
        let candidateProgram = RuleProgram(name: name, version: (active?.version ?? 0) + 1, source: source)
        let engine = RuleEngine()
        if let failure = engine.check(candidateProgram, limits: limitOptions.limits) {
            print("candidate \(candidate) does not load: \(failure)")
            throw ExitCode(1)
        }
        let turns = try await store.turns.withRuleInput(tenant: owner.id, since: since, limit: limit)
        print(
            "replaying \(turns.count) turn(s) of \(owner.name) since \(Self.day(since)) through \(name.chunkName) "
                + "(active: \(active.map { "v\($0.version)" } ?? "none")) and \(candidate)")
        var differing = 0
        for turn in turns {
            guard let input = turn.ruleInput else { continue }
            let result = engine.runMessageRules(
                activeProgram.map { [$0] } ?? [], shadows: [candidateProgram], view: input,
                tenant: owner.id.rawValue, limits: limitOptions.limits)
            guard let comparison = result.shadows.first, !comparison.agrees else { continue }
            differing += 1
            print(
                "  message \(turn.messageID) (conversation \(turn.conversationID), \(Self.timestamp(turn.createdAt)))"
                    + "\n    active:    \(compact(comparison.active))\n    candidate: \(compact(comparison.candidate))")
        }
        print("\(turns.count) turn(s) replayed: \(turns.count - differing) agree, \(differing) differ")
    }

    private func sinceDate() throws -> Date {
        guard let since else { return Date().addingTimeInterval(-30 * 24 * 3600) }
        if let date = try? Date(since, strategy: .iso8601) { return date }
        if let date = try? Date(since + "T00:00:00Z", strategy: .iso8601) { return date }
        throw ValidationError("--since must be a date such as 2026-11-01")
    }

    private static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

import ArgumentParser
import Foundation
import ParleyCore
import ParleyRules

/// `parley rules test FILE [--fixtures FIXTURES.jsonl]`: runs a rule against fixture turns and events.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a rule against its fixtures; exits 1 when a fixture's expectation is not met.",
        discussion: """
            Each fixture line is a JSON object with "turn" (for on_message) or "event" and "visitor" (for on_event),
            and "expect" (null or a decision to match) or "expect_error" (a failure kind). Without --fixtures the
            rule runs once against a default turn (and a default page_view event, if it defines on_event).
            See rules/README.md.
            """)

    @Argument(help: "The rule's Lua file; its name is the file name without .lua.")
    var file: String

    @Option(help: "A JSONL fixture file.")
    var fixtures: String?

    @OptionGroup var limitOptions: LimitOptions

    func run() throws {
        let source = try read(file, what: "rule")
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        guard let name = RuleName(stem) ?? RuleName(stem.lowercased().filter { $0.isLetter || $0.isNumber }) else {
            throw ValidationError("cannot name a rule after '\(stem)'; rule names match \(RuleName.pattern)")
        }
        guard source.utf8.count <= RuleProgram.maxSourceBytes else {
            throw ValidationError("\(file) is larger than \(RuleProgram.maxSourceBytes / 1024) KiB")
        }
        let program = RuleProgram(name: name, version: 0, source: source)
        let runner = FixtureRunner(limits: limitOptions.limits)
        let cases: [RuleFixture]
        if let fixtures {
            do {
                cases = try RuleFixture.parse(jsonl: try read(fixtures, what: "fixtures"))
            } catch let error as InvalidFixture {
                throw ValidationError("\(fixtures): \(error.message)")
            }
        } else {
            switch RuleEngine().functions(of: program, limits: limitOptions.limits) {
            case .failure(let failure):
                print("\(name.chunkName): does not load: \(failure)")
                throw ExitCode(1)
            case .success(let functions):
                cases = defaultCases(functions)
                guard !cases.isEmpty else {
                    print("\(name.chunkName): defines neither on_message nor on_event")
                    throw ExitCode(1)
                }
            }
        }
        let results = runner.run(program, fixtures: cases)
        print("\(name.chunkName): \(results.count) case(s)\(fixtures.map { " from \($0)" } ?? "")")
        for result in results { print(line(result)) }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }

    private func defaultCases(_ functions: Set<String>) -> [RuleFixture] {
        var cases: [RuleFixture] = []
        if functions.contains(RuleEngine.messageFunction) { cases.append(.defaultTurn) }
        if functions.contains(RuleEngine.eventFunction),
            let event = try? EventView.event(["type": "page_view", "page_url": "https://example.com/"]),
            let visitor = try? EventView.filledVisitor([:])
        {
            cases.append(
                RuleFixture(
                    name: "default page_view event", line: 0, input: .event(event, visitor: visitor),
                    expectation: .anything))
        }
        return cases
    }

    private func line(_ result: FixtureResult) -> String {
        let status = result.passed ? "PASS" : "FAIL"
        let place = result.fixture.line > 0 ? " (line \(result.fixture.line))" : ""
        var text =
            "  \(status)  \(result.fixture.name)\(place)\n        -> \(compact(result.actual))  at \(result.location)"
        for entry in result.log { text += "\n        log: \(entry)" }
        if let mismatch = result.mismatch { text += "\n        \(mismatch)" }
        return text
    }

    private func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(what) file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(what) file \(path) is not UTF-8")
        }
        return text
    }
}

/// One-line JSON with sorted keys, for printing decisions.
func compact(_ value: JSONValue) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
}

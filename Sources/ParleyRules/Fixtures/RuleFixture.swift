import Foundation
import ParleyCore

/// One case of a rule's fixture file: a turn or an event, and what the rule is expected to decide.
public struct RuleFixture: Sendable, Equatable {
    /// What the rule is called with.
    public enum Input: Sendable, Equatable {
        /// `on_message(turn)` with this complete view.
        case turn(JSONValue)
        /// `on_event(event, visitor)` with these complete tables.
        case event(JSONValue, visitor: JSONValue)
    }

    /// What the case expects.
    public enum Expectation: Sendable, Equatable {
        /// No decision at all.
        case none
        /// A decision whose normalized JSON contains this object.
        case decision([String: JSONValue])
        /// A failure of this kind.
        case failure(RuleFailure.Kind)
        /// Any decision, or none, as long as the rule does not fail: the case prints what the rule decides.
        case anything
    }

    /// The case's name (`line N` when the fixture has none).
    public var name: String
    /// The 1-based line in the fixture file.
    public var line: Int
    /// What the rule is called with.
    public var input: Input
    /// What the case expects.
    public var expectation: Expectation

    /// Makes a case.
    public init(name: String, line: Int, input: Input, expectation: Expectation) {
        self.name = name
        self.line = line
        self.input = input
        self.expectation = expectation
    }

    /// The largest fixture file accepted, in bytes.
    public static let maxFileBytes = 256 * 1024
    /// The most cases an uploaded fixture file may hold: each may run to the rule's deadline, and an upload runs
    /// them all in its request.
    public static let maxUploadCases = 200

    /// Parses a JSONL fixture file; blank lines and lines starting with `//` are skipped.
    public static func parse(jsonl text: String) throws(InvalidFixture) -> [RuleFixture] {
        guard text.utf8.count <= maxFileBytes else {
            throw InvalidFixture("fixtures are larger than \(maxFileBytes / 1024) KiB")
        }
        var fixtures: [RuleFixture] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("//") else { continue }
            do {
                fixtures.append(try parse(line: line, number: index + 1))
            } catch {
                throw InvalidFixture("line \(index + 1): \(error.message)")
            }
        }
        return fixtures
    }

    /// The case used when a rule is tested without fixtures: the default turn, expecting anything.
    public static var defaultTurn: RuleFixture {
        // The default view has only documented fields, so filling it cannot fail.
        let view = (try? TurnView.filled(["text": "Hello, I have a question about my order."])) ?? .null
        return RuleFixture(name: "default turn", line: 0, input: .turn(view), expectation: .anything)
    }

    private static func parse(line: String, number: Int) throws(InvalidFixture) -> RuleFixture {
        let object: [String: JSONValue]
        do {
            guard let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)).objectValue else {
                throw InvalidFixture("each line must be a JSON object")
            }
            object = parsed
        } catch let error as InvalidFixture {
            throw error
        } catch {
            throw InvalidFixture("invalid JSON")
        }
        let allowed: Set<String> = ["name", "turn", "event", "visitor", "expect", "expect_error"]
        if let unknown = object.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw InvalidFixture("unknown key '\(unknown)'")
        }
        let name: String =
            if case .string(let name) = object["name"] { name } else { "line \(number)" }
        let input: Input
        switch (object["turn"], object["event"]) {
        case (.some(.object(let turn)), nil):
            guard object["visitor"] == nil else { throw InvalidFixture("'visitor' goes with 'event', not 'turn'") }
            input = .turn(try TurnView.filled(turn))
        case (nil, .some(.object(let event))):
            let visitor = object["visitor"]?.objectValue ?? [:]
            input = .event(try EventView.event(event), visitor: try EventView.filledVisitor(visitor))
        default:
            throw InvalidFixture("a case has exactly one of 'turn' and 'event', each a JSON object")
        }
        return RuleFixture(name: name, line: number, input: input, expectation: try expectation(in: object))
    }

    private static func expectation(in object: [String: JSONValue]) throws(InvalidFixture) -> Expectation {
        switch (object["expect"], object["expect_error"]) {
        case (nil, nil): return .anything
        case (.some(.null), nil): return .none
        case (.some(.object(let expected)), nil): return .decision(expected)
        case (nil, .some(.string(let kind))):
            guard let kind = RuleFailure.Kind(rawValue: kind) else {
                let kinds = RuleFailure.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw InvalidFixture("expect_error must be one of \(kinds)")
            }
            return .failure(kind)
        case (.some, .some): throw InvalidFixture("a case has at most one of 'expect' and 'expect_error'")
        default: throw InvalidFixture("'expect' must be null or an object; 'expect_error' a string")
        }
    }
}

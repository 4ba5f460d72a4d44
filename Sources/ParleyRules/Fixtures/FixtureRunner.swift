import LuaSandbox
import ParleyCore

/// Runs a rule against its fixture cases and says, case by case, whether it decided what was expected.
public struct FixtureRunner: Sendable {
    private let engine: RuleEngine
    private let limits: LuaLimits

    /// Makes a runner; fixtures run in their own sandboxes, never in a tenant's.
    public init(engine: RuleEngine = RuleEngine(pool: LuaStatePool(maxIdlePerTenant: 1)), limits: LuaLimits = .default)
    {
        self.engine = engine
        self.limits = limits
    }

    /// Runs every case in order.
    public func run(_ rule: RuleProgram, fixtures: [RuleFixture]) -> [FixtureResult] {
        fixtures.map { run(rule, fixture: $0) }
    }

    private func run(_ rule: RuleProgram, fixture: RuleFixture) -> FixtureResult {
        let run: (result: Result<JSONValue, RuleFailure>, location: String, log: [String])?
        let function: String
        switch fixture.input {
        case .turn(let view):
            function = RuleEngine.messageFunction
            run = engine.runMessageRules([rule], view: view, tenant: Self.sandboxKey, limits: limits).runs.first
                .map { ($0.result.map { $0?.json ?? .null }, $0.location, $0.log) }
        case .event(let event, let visitor):
            function = RuleEngine.eventFunction
            run = engine.runEventRules([rule], event: event, visitor: visitor, tenant: Self.sandboxKey, limits: limits)
                .first.map { ($0.result.map { $0?.json ?? .null }, $0.location, $0.log) }
        }
        guard let run else {
            return FixtureResult(
                fixture: fixture, actual: .null, location: rule.name.chunkName, log: [],
                mismatch: "the rule does not define \(function)")
        }
        let actual: JSONValue
        switch run.result {
        case .success(let decision): actual = decision
        case .failure(let failure):
            actual = .object(["error": .string(failure.kind.rawValue), "message": .string(failure.message)])
        }
        return FixtureResult(
            fixture: fixture, actual: actual, location: run.location, log: run.log,
            mismatch: Self.mismatch(fixture.expectation, run.result))
    }

    /// Fixtures run under this pool key, apart from any tenant's states.
    static let sandboxKey = "fixtures"

    static func mismatch(_ expectation: RuleFixture.Expectation, _ result: Result<JSONValue, RuleFailure>) -> String? {
        switch (expectation, result) {
        case (.anything, .success): return nil
        case (.failure(let kind), .failure(let failure)):
            return failure.kind == kind ? nil : "expected a \(kind.rawValue) failure, got \(failure.kind.rawValue)"
        case (.failure(let kind), .success):
            return "expected a \(kind.rawValue) failure, but the rule succeeded"
        case (_, .failure(let failure)):
            return "the rule failed: \(failure)"
        case (.none, .success(let decision)):
            return decision == .null ? nil : "expected no decision"
        case (.decision(let expected), .success(let decision)):
            guard decision != .null else { return "expected a decision, got none" }
            return contains(decision, .object(expected), path: "")
        }
    }

    /// Nil when `actual` contains `expected` (objects as subsets, arrays and scalars equal), else the first difference.
    static func contains(_ actual: JSONValue, _ expected: JSONValue, path: String) -> String? {
        switch (actual, expected) {
        case (.object(let actual), .object(let expected)):
            for (key, wanted) in expected.sorted(by: { $0.key < $1.key }) {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                guard let value = actual[key] else { return "missing \(keyPath)" }
                if let difference = contains(value, wanted, path: keyPath) { return difference }
            }
            return nil
        default:
            return actual == expected ? nil : "\(path) differs"
        }
    }
}

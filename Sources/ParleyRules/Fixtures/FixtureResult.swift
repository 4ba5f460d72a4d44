import ParleyCore

/// One fixture case run against a rule: what the rule decided and whether that met the expectation.
public struct FixtureResult: Sendable, Equatable {
    /// The case.
    public var fixture: RuleFixture
    /// The normalized decision (`null` for none), or `{"error": KIND, "message": ...}` when the rule failed.
    public var actual: JSONValue
    /// Where the rule returned or failed (`rules/NAME.lua:12`).
    public var location: String
    /// What the rule logged.
    public var log: [String]
    /// Why the case failed, or nil when it passed.
    public var mismatch: String?

    /// Whether the case passed.
    public var passed: Bool { mismatch == nil }
}

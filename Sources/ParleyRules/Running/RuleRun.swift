import ParleyCore

/// One call into one rule: which rule, what it decided (or why it failed), where, and how long it took.
public struct RuleRun<Decision: Sendable & Equatable>: Sendable, Equatable {
    /// The rule.
    public var rule: RuleName
    /// The rule's version.
    public var version: Int
    /// The chunk name the rule ran under (`rules/NAME.lua`, or `shadow/NAME.lua` for a shadow candidate).
    public var chunk: String
    /// The decision (nil for none), or the failure.
    public var result: Result<Decision?, RuleFailure>
    /// The line of the rule's `return`, or of its error.
    public var line: Int?
    /// Wall-clock time of the call, in microseconds.
    public var durationMicros: Int
    /// Lines the rule wrote with `parley.log` or `print`.
    public var log: [String]

    /// The decision, when the rule made one.
    public var decision: Decision? {
        if case .success(let decision) = result { decision } else { nil }
    }

    /// The failure, when the rule failed.
    public var failure: RuleFailure? {
        if case .failure(let failure) = result { failure } else { nil }
    }

    /// `rules/NAME.lua:LINE`, or the chunk alone when the line is unknown.
    public var location: String { line.map { "\(chunk):\($0)" } ?? chunk }
}

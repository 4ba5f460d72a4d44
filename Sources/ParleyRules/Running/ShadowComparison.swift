import ParleyCore

/// The active version and a shadow candidate of one rule, run on the same input, and whether they agree.
public struct ShadowComparison: Sendable, Equatable {
    /// The rule.
    public var rule: RuleName
    /// The active version, or nil when the rule has no active version yet.
    public var activeVersion: Int?
    /// The candidate's version.
    public var candidateVersion: Int
    /// The active version's normalized decision: `null`, a decision object, or `{"error": KIND}`.
    public var active: JSONValue
    /// The candidate's normalized decision, in the same form.
    public var candidate: JSONValue

    /// Whether both made the same decision.
    ///
    /// Escalation reasons are left out of the comparison: a reworded reason, or the line number in a default
    /// reason, is not a different decision.
    public var agrees: Bool { Self.comparable(active) == Self.comparable(candidate) }

    /// Makes a comparison.
    public init(rule: RuleName, activeVersion: Int?, candidateVersion: Int, active: JSONValue, candidate: JSONValue) {
        self.rule = rule
        self.activeVersion = activeVersion
        self.candidateVersion = candidateVersion
        self.active = active
        self.candidate = candidate
    }

    private static func comparable(_ decision: JSONValue) -> JSONValue {
        guard var object = decision.objectValue, var escalate = object["escalate"]?.objectValue else { return decision }
        escalate["reason"] = nil
        object["escalate"] = .object(escalate)
        return .object(object)
    }
}

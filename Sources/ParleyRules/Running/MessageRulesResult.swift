import ParleyCore

/// What a tenant's `on_message` rules decided for one turn, rule by rule and combined.
public struct MessageRulesResult: Sendable, Equatable {
    /// Every rule that ran, in order.
    public var runs: [RuleRun<MessageDecision>]
    /// Shadow candidates compared with their active versions.
    public var shadows: [ShadowComparison]

    /// Makes a result.
    public init(runs: [RuleRun<MessageDecision>] = [], shadows: [ShadowComparison] = []) {
        self.runs = runs
        self.shadows = shadows
    }

    /// The run whose action stops the chain: the first with escalate, reply or block.
    public var deciding: RuleRun<MessageDecision>? {
        runs.first { $0.decision?.action != nil }
    }

    /// Tags from every rule, in order, without repeats.
    public var tags: [String] {
        var tags: [String] = []
        for tag in runs.flatMap({ $0.decision?.tags ?? [] }) where !tags.contains(tag) { tags.append(tag) }
        return tags
    }

    /// Attributes from every rule; a later rule's value wins.
    public var attributes: [String: JSONValue] {
        runs.reduce(into: [:]) { $0.merge($1.decision?.attributes ?? [:]) { _, new in new } }
    }
}

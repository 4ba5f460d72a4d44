/// One shipped default rule as text, before its name is checked.
struct DefaultRuleSource {
    var name: String
    var source: String
    var fixtures: String?
}

/// A shipped default rule: every new tenant starts with these active (their sources live in `rules/default/`).
public struct DefaultRule: Sendable, Equatable {
    /// The rule's name.
    public var name: RuleName
    /// The Lua source.
    public var source: String
    /// The rule's fixture file (JSONL), if it has one.
    public var fixtures: String?
}

/// The rules every new tenant starts with.
public enum DefaultRules {
    /// Every default rule, in name order.
    public static let all: [DefaultRule] = DefaultRuleSources.all.compactMap { entry in
        RuleName(entry.name).map { DefaultRule(name: $0, source: entry.source, fixtures: entry.fixtures) }
    }
}

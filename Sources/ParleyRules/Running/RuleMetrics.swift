import Metrics

/// Counts rule calls, errors and limit kills, and times calls, per tenant and rule.
///
/// Metrics: `parley_rule_calls_total`, `parley_rule_errors_total{kind}`, `parley_rule_limit_kills_total{limit}`
/// and the `parley_rule_duration_seconds` histogram, each labelled with `tenant` and `rule`.
public struct RuleMetrics: Sendable {
    /// Makes the recorder; metrics go to whatever backend `MetricsSystem` was bootstrapped with.
    public init() {}

    /// Records one call.
    public func record<Decision>(_ run: RuleRun<Decision>, tenant: String) {
        let dimensions = [("tenant", tenant), ("rule", run.chunk)]
        Counter(label: "parley_rule_calls_total", dimensions: dimensions).increment()
        Timer(label: "parley_rule_duration_seconds", dimensions: dimensions)
            .recordMicroseconds(run.durationMicros)
        guard let failure = run.failure else { return }
        if failure.kind.isLimit {
            Counter(label: "parley_rule_limit_kills_total", dimensions: dimensions + [("limit", failure.kind.rawValue)])
                .increment()
        } else {
            Counter(label: "parley_rule_errors_total", dimensions: dimensions + [("kind", failure.kind.rawValue)])
                .increment()
        }
    }
}

import Metrics
import Synchronization

/// Counts rule calls, errors and limit kills, and times calls, per tenant and rule.
///
/// Metrics: `parley_rule_calls_total`, `parley_rule_errors_total{kind}`, `parley_rule_limit_kills_total{limit}`
/// and the `parley_rule_duration_seconds` histogram, each labelled with `tenant` and `rule`. The call counter and
/// timer of each tenant × rule are made once and kept, so a call does not look metrics up by label.
public final class RuleMetrics: Sendable {
    private struct Handles: Sendable {
        var calls: Counter
        var duration: Timer
    }

    private let handles = Mutex<[String: Handles]>([:])

    /// Makes the recorder; metrics go to whatever backend `MetricsSystem` was bootstrapped with.
    public init() {}

    /// Records one call.
    public func record<Decision>(_ run: RuleRun<Decision>, tenant: String) {
        let dimensions = [("tenant", tenant), ("rule", run.chunk)]
        let key = tenant + "\u{0}" + run.chunk
        let known = handles.withLock { $0[key] }
        let metrics =
            known
            ?? Handles(
                calls: Counter(label: "parley_rule_calls_total", dimensions: dimensions),
                duration: Timer(label: "parley_rule_duration_seconds", dimensions: dimensions))
        if known == nil { handles.withLock { $0[key] = metrics } }
        metrics.calls.increment()
        metrics.duration.recordMicroseconds(run.durationMicros)
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

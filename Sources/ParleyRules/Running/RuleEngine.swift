import LuaSandbox
import ParleyCore

/// Runs tenants' rules in pooled sandboxes: message rules for the `rules` stage, event rules for proactive messages.
///
/// Every call is made under the tenant's limits. A failure of one rule (an error, a broken limit, an invalid
/// decision) is reported in its `RuleRun` and never stops the others: a state that broke a limit is retired and
/// the remaining rules continue in a fresh one.
public final class RuleEngine: Sendable {
    /// The name of the message function in rule API v1.
    public static let messageFunction = "on_message"
    /// The name of the event function in rule API v1.
    public static let eventFunction = "on_event"

    private let pool: LuaStatePool
    private let metrics: RuleMetrics

    /// Makes an engine over a pool of per-tenant states.
    public init(pool: LuaStatePool = LuaStatePool(), metrics: RuleMetrics = RuleMetrics()) {
        self.pool = pool
        self.metrics = metrics
    }

    /// Runs `on_message` of each rule in name order until one escalates, replies or blocks, then shadow candidates.
    ///
    /// A shadow candidate runs on the same view beside its rule's active version; its decision is compared, never applied.
    public func runMessageRules(
        _ rules: [RuleProgram], shadows: [RuleProgram] = [], view: JSONValue, tenant: String,
        limits: LuaLimits = .default
    ) -> MessageRulesResult {
        let argument = LuaValue(json: view)
        var runs: [RuleRun<MessageDecision>] = []
        for rule in rules.sorted(by: { $0.name < $1.name }) {
            guard let run = call(rule, chunk: rule.name.chunkName, argument: argument, tenant: tenant, limits: limits)
            else { continue }
            runs.append(run)
            if run.decision?.action != nil { break }
        }
        var comparisons: [ShadowComparison] = []
        for candidate in shadows {
            let active = rules.first { $0.name == candidate.name }
            let activeRun =
                runs.first { $0.rule == candidate.name }
                ?? active.flatMap {
                    call($0, chunk: $0.name.chunkName, argument: argument, tenant: tenant, limits: limits)
                }
            let candidateRun = call(
                candidate, chunk: candidate.name.shadowChunkName, argument: argument, tenant: tenant, limits: limits)
            comparisons.append(
                ShadowComparison(
                    rule: candidate.name, activeVersion: active?.version, candidateVersion: candidate.version,
                    active: Self.normalized(activeRun), candidate: Self.normalized(candidateRun)))
        }
        return MessageRulesResult(runs: runs, shadows: comparisons)
    }

    /// Runs `on_event` of every rule that defines it, in name order; the caller applies cooldowns and the cap.
    public func runEventRules(
        _ rules: [RuleProgram], event: JSONValue, visitor: JSONValue, tenant: String, limits: LuaLimits = .default
    ) -> [RuleRun<ProactiveMessage>] {
        let arguments = [LuaValue(json: event), LuaValue(json: visitor)]
        return rules.sorted(by: { $0.name < $1.name }).compactMap { rule in
            run(
                rule, chunk: rule.name.chunkName, function: Self.eventFunction, arguments: arguments, tenant: tenant,
                limits: limits, parse: { value, _ throws(InvalidDecision) in try ProactiveMessage.parse(value) })
        }
    }

    /// Closes a tenant's idle states, so rules it no longer runs stop holding memory.
    public func forget(tenant: String) {
        pool.removeAll(tenant: tenant)
    }

    /// Compiles a rule in a fresh state and runs its chunk once: nil when it loads and defines an API function.
    public func check(_ rule: RuleProgram, limits: LuaLimits = .default) -> RuleFailure? {
        switch functions(of: rule, limits: limits) {
        case .failure(let failure): failure
        case .success(let functions) where functions.isEmpty:
            RuleFailure(kind: .runtime, message: "the rule defines neither on_message nor on_event")
        case .success: nil
        }
    }

    /// The API functions (`on_message`, `on_event`) a rule defines, checked in a fresh state.
    public func functions(of rule: RuleProgram, limits: LuaLimits = .default) -> Result<Set<String>, RuleFailure> {
        do {
            let sandbox = try LuaSandbox(limits: limits)
            let handle = try sandbox.load(name: rule.name.chunkName, source: rule.source)
            var functions: Set<String> = []
            for name in [Self.messageFunction, Self.eventFunction]
            where try sandbox.functionIfDefined(handle, named: name) != nil {
                functions.insert(name)
            }
            return .success(functions)
        } catch {
            return .failure(RuleFailure(error))
        }
    }

    private func call(
        _ rule: RuleProgram, chunk: String, argument: LuaValue, tenant: String, limits: LuaLimits
    ) -> RuleRun<MessageDecision>? {
        run(rule, chunk: chunk, function: Self.messageFunction, arguments: [argument], tenant: tenant, limits: limits) {
            value, location throws(InvalidDecision) in
            try MessageDecision.parse(value, defaultReason: "escalated by \(location)")
        }
    }

    /// Loads (if changed) and calls one function of one rule in a pooled state of the tenant.
    ///
    /// Returns nil when the rule does not define the function.
    private func run<Decision: Sendable & Equatable>(
        _ rule: RuleProgram, chunk: String, function name: String, arguments: [LuaValue], tenant: String,
        limits: LuaLimits, parse: (LuaValue, String) throws(InvalidDecision) -> Decision?
    ) -> RuleRun<Decision>? {
        let started = ContinuousClock.now
        var run = RuleRun<Decision>(
            rule: rule.name, version: rule.version, chunk: chunk, result: .success(nil), line: nil,
            durationMicros: 0, log: [])
        do {
            let defined = try pool.withSandbox(tenant: tenant, limits: limits) { sandbox -> Bool in
                let handle = try sandbox.ensureLoaded(name: chunk, source: rule.source)
                guard let function = try sandbox.functionIfDefined(handle, named: name) else { return false }
                let result = try sandbox.call(function, arguments: arguments.map { .value($0) }, traceReturnLine: true)
                run.line = result.returnLine
                run.log = result.log
                let location = result.returnLine.map { "\(chunk):\($0)" } ?? chunk
                do throws(InvalidDecision) {
                    run.result = .success(try parse(result.value, location))
                } catch {
                    run.result = .failure(RuleFailure(kind: .invalidDecision, message: error.message, line: run.line))
                }
                return true
            }
            guard defined else { return nil }
        } catch let error as LuaError {
            run.result = .failure(RuleFailure(error))
            run.line = error.line
            run.log = error.log
        } catch {
            run.result = .failure(RuleFailure(kind: .unavailable, message: "the rule could not run"))
        }
        run.durationMicros = Int((ContinuousClock.now - started) / .microseconds(1))
        metrics.record(run, tenant: tenant)
        return run
    }

    /// A run's decision as shadow diffs show it: `null`, the decision's JSON, or `{"error": KIND}`.
    static func normalized(_ run: RuleRun<MessageDecision>?) -> JSONValue {
        guard let run else { return .null }
        switch run.result {
        case .success(let decision): return decision?.json ?? .null
        case .failure(let failure): return .object(["error": .string(failure.kind.rawValue)])
        }
    }
}

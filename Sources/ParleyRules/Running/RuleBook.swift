import LuaSandbox
import ParleyCore

/// A tenant's rules as in force for one turn: the active versions, shadow candidates, limits and the engine.
///
/// The server puts one in `StageContext.services` under `RuleBookKey`; the `rules` stage reads it from there.
public struct RuleBook: Sendable {
    /// The tenant's pool key (its id): states are never shared across keys.
    public var tenant: String
    /// The active version of each rule, in name order.
    public var rules: [RuleProgram]
    /// Candidate versions running in shadow, in name order.
    public var shadows: [RuleProgram]
    /// Limits for each call.
    public var limits: LuaLimits
    /// The engine that runs the rules.
    public var engine: RuleEngine
    /// Stores shadow comparisons for a turn; nil where nothing records them.
    public var recordShadows: (@Sendable ([ShadowComparison], Turn) async -> Void)?

    /// Makes a rule book.
    public init(
        tenant: String, rules: [RuleProgram], shadows: [RuleProgram] = [], limits: LuaLimits = .default,
        engine: RuleEngine, recordShadows: (@Sendable ([ShadowComparison], Turn) async -> Void)? = nil
    ) {
        self.tenant = tenant
        self.rules = rules.sorted { $0.name < $1.name }
        self.shadows = shadows.sorted { $0.name < $1.name }
        self.limits = limits
        self.engine = engine
        self.recordShadows = recordShadows
    }
}

/// The key under which the server provides a tenant's `RuleBook` to stages.
public enum RuleBookKey: StageServiceKey {
    public typealias Value = RuleBook
}

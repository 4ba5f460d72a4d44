/// What a tenant's plan changes from the installation's defaults; nil fields keep the default.
public struct TenantPlan: Sendable, Codable, Equatable {
    /// Lua instructions one rule call may execute.
    public var ruleInstructions: Int?
    /// Heap bytes one of the tenant's Lua states may hold.
    public var ruleMemoryBytes: Int?
    /// Wall-clock milliseconds one rule call may take.
    public var ruleDeadlineMilliseconds: Int?

    /// Makes a plan; the default plan changes nothing.
    public init(ruleInstructions: Int? = nil, ruleMemoryBytes: Int? = nil, ruleDeadlineMilliseconds: Int? = nil) {
        self.ruleInstructions = ruleInstructions
        self.ruleMemoryBytes = ruleMemoryBytes
        self.ruleDeadlineMilliseconds = ruleDeadlineMilliseconds
    }

    /// The ranges a plan may set, so that no plan can switch a limit off.
    public static let ruleInstructionRange = 10_000...100_000_000
    /// See `ruleInstructionRange`.
    public static let ruleMemoryRange = (1 << 20)...(256 << 20)
    /// See `ruleInstructionRange`.
    public static let ruleDeadlineRange = 1...1_000

    /// Problems with the plan's values, empty when it is valid.
    public func problems() -> [String] {
        var problems: [String] = []
        if let value = ruleInstructions, !Self.ruleInstructionRange.contains(value) {
            problems.append("rule_instructions must be from 10000 to 100000000")
        }
        if let value = ruleMemoryBytes, !Self.ruleMemoryRange.contains(value) {
            problems.append("rule_memory_bytes must be from 1 MiB to 256 MiB")
        }
        if let value = ruleDeadlineMilliseconds, !Self.ruleDeadlineRange.contains(value) {
            problems.append("rule_deadline_ms must be from 1 to 1000")
        }
        return problems
    }

    enum CodingKeys: String, CodingKey {
        case ruleInstructions = "rule_instructions"
        case ruleMemoryBytes = "rule_memory_bytes"
        case ruleDeadlineMilliseconds = "rule_deadline_ms"
    }
}

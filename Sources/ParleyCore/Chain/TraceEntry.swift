/// One stage's line in a turn's trace: which stage, how long, what it decided and why.
public struct TraceEntry: Sendable, Codable, Equatable {
    /// The stage id.
    public var stage: String
    /// The stage version.
    public var version: String
    /// How long the stage took, in microseconds.
    public var durationMicros: Int
    /// `continue`, `reply`, `escalate`, `block` or `error`.
    public var decision: String
    /// A short reason, if the stage gave one.
    public var reason: String?

    /// Makes a trace entry.
    public init(stage: String, version: String, durationMicros: Int, decision: String, reason: String?) {
        self.stage = stage
        self.version = version
        self.durationMicros = durationMicros
        self.decision = decision
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case stage, version, decision, reason
        case durationMicros = "duration_us"
    }
}

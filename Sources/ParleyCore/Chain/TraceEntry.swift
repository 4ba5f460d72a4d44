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
    /// Further lines, such as each rule's decision, line and log; empty for most stages.
    public var notes: [String]

    /// Makes a trace entry.
    public init(
        stage: String, version: String, durationMicros: Int, decision: String, reason: String?, notes: [String] = []
    ) {
        self.stage = stage
        self.version = version
        self.durationMicros = durationMicros
        self.decision = decision
        self.reason = reason
        self.notes = notes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stage = try container.decode(String.self, forKey: .stage)
        version = try container.decode(String.self, forKey: .version)
        durationMicros = try container.decode(Int.self, forKey: .durationMicros)
        decision = try container.decode(String.self, forKey: .decision)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        notes = try container.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(version, forKey: .version)
        try container.encode(durationMicros, forKey: .durationMicros)
        try container.encode(decision, forKey: .decision)
        try container.encodeIfPresent(reason, forKey: .reason)
        if !notes.isEmpty { try container.encode(notes, forKey: .notes) }
    }

    enum CodingKeys: String, CodingKey {
        case stage, version, decision, reason, notes
        case durationMicros = "duration_us"
    }
}

extension TraceEntry: JSONTextWritable {
    /// Writes the entry as `encode(to:)` does, members in sorted key order.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        writer.beginObject()
        try writer.member("decision", decision)
        try writer.member("duration_us", durationMicros)
        if !notes.isEmpty { try writer.member("notes", notes) }
        try writer.member("reason", ifPresent: reason)
        try writer.member("stage", stage)
        try writer.member("version", version)
        writer.endObject()
    }
}

/// A tenant's chain as data: the stages in order, each enabled or not, with its settings.
public struct ChainConfig: Sendable, Codable, Equatable {
    /// The stages in the order they run.
    public var stages: [ChainEntry]

    /// Makes a chain configuration.
    public init(stages: [ChainEntry]) {
        self.stages = stages
    }
}

/// One stage's place in a chain configuration.
public struct ChainEntry: Sendable, Codable, Equatable {
    /// The stage id, as registered.
    public var stage: String
    /// Whether the stage runs.
    public var enabled: Bool
    /// Settings that differ from the stage's defaults.
    public var settings: [String: JSONValue]

    /// Makes an entry; by default enabled, with default settings.
    public init(stage: String, enabled: Bool = true, settings: [String: JSONValue] = [:]) {
        self.stage = stage
        self.enabled = enabled
        self.settings = settings
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stage = try container.decode(String.self, forKey: .stage)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        settings = try container.decodeIfPresent([String: JSONValue].self, forKey: .settings) ?? [:]
    }
}

/// A stored version of a tenant's chain configuration.
public struct ChainConfigVersion: Sendable, Codable, Equatable {
    /// Increases by one with every accepted change, starting at 1.
    public var version: Int
    /// The configuration.
    public var config: ChainConfig
    /// Who made the change, if a user did.
    public var createdBy: UserID?

    /// Makes a configuration version.
    public init(version: Int, config: ChainConfig, createdBy: UserID?) {
        self.version = version
        self.config = config
        self.createdBy = createdBy
    }
}

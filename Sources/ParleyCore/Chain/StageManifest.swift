/// What a stage declares about itself: identity, purpose and where it may sit in a chain.
public struct StageManifest: Sendable, Codable, Equatable {
    /// The stage id used in chain configurations (`fallback`, `business-hours`).
    public var id: String
    /// The stage's version, recorded in every trace entry.
    public var version: String
    /// One sentence for the admin portal.
    public var description: String
    /// Where the stage may be placed.
    public var placement: Placement
    /// Whether a tenant chain without an explicit entry for this stage gets it, enabled.
    public var isBuiltIn: Bool

    /// Makes a manifest.
    public init(id: String, version: String, description: String, placement: Placement = .init(), isBuiltIn: Bool) {
        self.id = id
        self.version = version
        self.description = description
        self.placement = placement
        self.isBuiltIn = isBuiltIn
    }
}

/// Placement constraints of a stage, checked against the enabled stages of a chain.
public struct Placement: Sendable, Codable, Equatable {
    /// Stages that, when enabled, must run before this one.
    public var after: [String]
    /// Stages that, when enabled, must run after this one.
    public var before: [String]

    /// Makes placement constraints; the default allows any position.
    public init(after: [String] = [], before: [String] = []) {
        self.after = after
        self.before = before
    }
}

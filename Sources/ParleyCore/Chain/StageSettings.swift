/// The settings of a stage: every field has a default, and `validate()` rejects values that make no sense.
public protocol StageSettings: Codable, Sendable, Equatable {
    /// The settings a stage has when the chain config names none.
    init()

    /// Returns a readable problem for each invalid value; empty when the settings are fine.
    func validate() -> [String]
}

extension StageSettings {
    /// Settings with no constraints beyond their types.
    public func validate() -> [String] { [] }
}

/// The settings of a stage that has nothing to configure.
public struct NoSettings: StageSettings {
    /// No settings.
    public init() {}
}

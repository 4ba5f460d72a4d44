/// Names one runtime dependency a stage can ask its context for, and the type it has.
///
/// Stages are values built from settings; what they need at run time that settings cannot hold (the tenant's
/// Lua rules, a knowledge index, a model provider) comes from the server through `StageContext.services`,
/// keyed by a type the providing module owns.
public protocol StageServiceKey {
    /// The dependency's type.
    associatedtype Value: Sendable
}

/// The runtime dependencies the server hands to stages for one turn, looked up by key type.
public struct StageServices: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// Makes an empty set of services.
    public init() {}

    /// The dependency stored under `key`, or nil when the server did not provide one.
    public subscript<Key: StageServiceKey>(_ key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}

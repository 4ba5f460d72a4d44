/// One step of a tenant's chain: reads and writes the turn, then says whether the chain goes on.
///
/// A stage is a value built from its `Settings`. It never reaches into another stage; it talks through the `Turn`.
public protocol Stage: Sendable {
    /// The stage's settings: Codable, with defaults, validated before a chain is accepted.
    associatedtype Settings: StageSettings

    /// What the registry and the admin API know about the stage.
    static var manifest: StageManifest { get }

    /// Builds the stage from validated settings.
    init(settings: Settings)

    /// Handles one turn: updates `turn` and returns what the chain does next.
    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome
}

/// A stage with its settings applied, ready to run: the type-erased form of a `Stage` inside a `Chain`.
public protocol ChainStep: Sendable {
    /// The stage's manifest.
    var manifest: StageManifest { get }
    /// Runs the stage on the turn.
    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome
}

/// Wraps a concrete stage as a chain step.
struct StageStep<S: Stage>: ChainStep {
    let stage: S

    var manifest: StageManifest { S.manifest }

    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        try await stage.process(&turn, context: context)
    }
}

import ParleyCore

/// A stage that does nothing and continues: what remains is the chain's own cost per stage.
struct TrivialStep: ChainStep {
    let manifest: StageManifest

    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome { .continue }

    /// Ten trivial stages with distinct ids.
    static let ten: [TrivialStep] = (1...10).map {
        TrivialStep(
            manifest: StageManifest(id: "trivial-\($0)", version: "1", description: "does nothing", isBuiltIn: false))
    }
}

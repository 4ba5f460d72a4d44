/// Every stage the server knows, built-in and plugin, and the one place chain configurations are checked and built.
public struct StageRegistry: Sendable {
    /// The registered stages in registration order, which is also the default chain order.
    public private(set) var stages: [RegisteredStage] = []

    /// Makes an empty registry.
    public init() {}

    /// Adds a stage type.
    ///
    /// Registering the same id twice is a programming error.
    public mutating func register<S: Stage>(_ type: S.Type) {
        precondition(stage(id: S.manifest.id) == nil, "stage '\(S.manifest.id)' registered twice")
        stages.append(RegisteredStage(type))
    }

    /// Adds a ready-made step that has no settings, such as a stage built by a benchmark or a test.
    public mutating func register(step: any ChainStep) {
        precondition(stage(id: step.manifest.id) == nil, "stage '\(step.manifest.id)' registered twice")
        stages.append(RegisteredStage(step: step))
    }

    /// The registered stage with this id, if any.
    public func stage(id: String) -> RegisteredStage? {
        stages.first { $0.manifest.id == id }
    }

    /// The chain a new tenant starts with: every registered stage in order, built-ins enabled, plugins disabled.
    public var defaultConfig: ChainConfig {
        ChainConfig(stages: stages.map { ChainEntry(stage: $0.manifest.id, enabled: $0.manifest.isBuiltIn) })
    }

    /// Checks a configuration as a whole and builds its chain, or throws every problem found.
    public func compile(_ config: ChainConfig) throws(ChainValidationError) -> Chain {
        var problems: [ChainValidationError.Problem] = []
        var steps: [any ChainStep] = []
        var seen: Set<String> = []
        for (index, entry) in config.stages.enumerated() {
            func problem(_ message: String) {
                problems.append(.init(index: index, stage: entry.stage, message: message))
            }
            guard let registered = stage(id: entry.stage) else {
                problem("unknown stage '\(entry.stage)'")
                continue
            }
            guard seen.insert(entry.stage).inserted else {
                problem("stage '\(entry.stage)' appears more than once")
                continue
            }
            switch registered.makeStep(settings: entry.settings) {
            case .success(let step): if entry.enabled { steps.append(step) }
            case .failure(let failure): failure.messages.forEach(problem)
            }
        }
        problems += placementProblems(config)
        guard problems.isEmpty else { throw ChainValidationError(problems: problems) }
        return Chain(steps: steps)
    }

    private func placementProblems(_ config: ChainConfig) -> [ChainValidationError.Problem] {
        let enabled = config.stages.filter(\.enabled).map(\.stage)
        var problems: [ChainValidationError.Problem] = []
        for (index, entry) in config.stages.enumerated() where entry.enabled {
            guard let placement = stage(id: entry.stage)?.manifest.placement,
                let position = enabled.firstIndex(of: entry.stage)
            else { continue }
            for other in placement.after {
                if let otherPosition = enabled.firstIndex(of: other), otherPosition > position {
                    problems.append(.init(index: index, stage: entry.stage, message: "must come after '\(other)'"))
                }
            }
            for other in placement.before {
                if let otherPosition = enabled.firstIndex(of: other), otherPosition < position {
                    problems.append(.init(index: index, stage: entry.stage, message: "must come before '\(other)'"))
                }
            }
        }
        return problems
    }
}

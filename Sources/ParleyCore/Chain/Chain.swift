import Foundation
import Logging
import Metrics

/// A compiled chain: enabled stages with their settings applied, run in order on each turn.
public struct Chain: Sendable {
    /// The steps that run, in order.
    public let steps: [any ChainStep]
    /// One latency timer per step, made once so a turn does not look metrics up by label.
    private let timers: [Timer]

    /// Makes a chain from ready steps; use `StageRegistry.compile` to build one from a configuration.
    public init(steps: [any ChainStep]) {
        self.steps = steps
        self.timers = steps.map {
            Timer(label: "parley_stage_duration_seconds", dimensions: [("stage", $0.manifest.id)])
        }
    }

    /// The chain's stage of type `S` as configured, or nil when the chain does not run one.
    public func stage<S: Stage>(_ type: S.Type) -> S? {
        for step in steps {
            if let step = step as? StageStep<S> { return step.stage }
        }
        return nil
    }

    /// Runs the turn through every step until one stops the chain, recording a trace entry per step.
    ///
    /// A step that throws is recorded as an `error` in the trace and the chain goes on: one broken stage never
    /// costs the visitor an answer.
    public func run(_ turn: inout Turn, context: StageContext) async -> ChainResult {
        var trace: [TraceEntry] = []
        trace.reserveCapacity(steps.count)
        for (step, timer) in zip(steps, timers) {
            let manifest = step.manifest
            let started = ContinuousClock.now
            let outcome: Outcome
            do {
                outcome = try await step.process(&turn, context: context)
            } catch {
                let elapsed = ContinuousClock.now - started
                trace.append(Self.entry(manifest, elapsed, decision: "error", reason: String(describing: error)))
                timer.record(duration: elapsed)
                context.logger.warning("stage failed", metadata: ["stage": "\(manifest.id)"])
                continue
            }
            let elapsed = ContinuousClock.now - started
            trace.append(
                Self.entry(
                    manifest, elapsed, decision: outcome.decision.name, reason: outcome.reason, notes: outcome.notes))
            timer.record(duration: elapsed)
            if outcome.decision != .continue {
                return ChainResult(outcome: outcome, decidedBy: manifest.id, trace: trace)
            }
        }
        return ChainResult(outcome: .continue, decidedBy: nil, trace: trace)
    }

    private static func entry(
        _ manifest: StageManifest, _ elapsed: Duration, decision: String, reason: String?, notes: [String] = []
    ) -> TraceEntry {
        TraceEntry(
            stage: manifest.id, version: manifest.version, durationMicros: Int(elapsed / .microseconds(1)),
            decision: decision, reason: reason, notes: notes)
    }
}

/// How a turn ended: the deciding outcome (`continue` when every stage passed) and the trace.
public struct ChainResult: Sendable {
    /// The outcome that stopped the chain, or `continue` when it ran to the end.
    public var outcome: Outcome
    /// The stage that stopped the chain, if one did.
    public var decidedBy: String?
    /// One entry per stage that ran.
    public var trace: [TraceEntry]
}

import ArgumentParser
import Foundation
import Logging
import ParleyAI
import ParleyCore
import ParleyServer
import ParleyStages
import ParleyUnderstanding

/// `parley bench chain`: turns per second through an empty chain, ten trivial stages, and the default chain.
struct ChainBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "The chain alone, no I/O: an empty chain against ten trivial stages and the default chain.")

    @Option(help: "Turns per run.")
    var turns = 20_000

    @Option(help: "Runs per chain; the report gives medians.")
    var runs = 5

    @Option(
        help: """
            A text,label CSV (such as Banking77's train.csv) to train the intent stage on; its texts are also the \
            messages of the understanding-prefix chain. Without it the intent stage only extracts entities.
            """)
    var intents: String?

    @Option(
        help: """
            The built-in model's directory (default $PARLEY_EMBED_MODEL): with --intents, the intent stage reads \
            its static embeddings beside n-grams, as the server's does. Pass an empty string for n-grams alone.
            """)
    var embedModel: String?

    func run() async throws {
        _ = ParleyApp.metrics  // stage timers report to Prometheus, as in the server
        let registry = StageCatalog.registry()
        let chains: [(String, Chain)] = [
            ("empty", Chain(steps: [])),
            (
                "10 trivial stages",
                Chain(steps: TrivialStep.ten)
            ),
            ("default chain (understanding + fallback + escalation)", try registry.compile(registry.defaultConfig)),
            ("understanding prefix (pii, moderation, language, sentiment, intent)", try prefix(registry)),
        ]
        let tenant = Tenant(
            id: TenantID("bench"), name: "Bench", widgetKey: "bench", fallbackText: Tenant.defaultFallbackText,
            createdAt: Date())
        var services = StageServices()
        var messages = ["What are your opening hours on Sunday?"]
        if let intents {
            let rows = try EvalData.labelledCSV(intents, labelColumns: ["label", "category", "intent"])
            messages = rows.map(\.text).filter { !$0.isEmpty }
            let directory = embedModel ?? ProcessInfo.processInfo.environment["PARLEY_EMBED_MODEL"] ?? ""
            let embedder =
                directory.isEmpty
                ? nil
                : try StaticEmbedderLoader.load(modelDirectory: URL(fileURLWithPath: directory), cacheDirectory: nil)
            let started = ContinuousClock.now
            let examples = rows.map { IntentExample(text: $0.text, intent: $0.label) }
            services[IntentStage.ClassifierKey.self] = IntentClassifier.train(
                examples, embeddings: embedder.map { embedder in examples.map { embedder.embed($0.text) } },
                embeddingModel: embedder?.model ?? "")
            if let embedder { services[IntentStage.EmbedderKey.self] = embedder }
            print(
                "intent model: \(rows.count) examples trained in \(ContinuousClock.now - started), "
                    + "embeddings: \(embedder?.model ?? "none (n-grams only)")")
        }
        let context = StageContext(tenant: tenant, now: Date(), logger: Logger(label: "bench"), services: services)
        var results: [String: [Sample]] = [:]
        var stages: [String: Sample] = [:]
        for _ in 0..<runs {
            for (name, chain) in chains {  // interleaved, so machine noise hits every chain alike
                let isPrefix = name.hasPrefix("understanding prefix")
                results[name, default: []].append(
                    await measure(chain, context: context, messages: messages) { trace in
                        guard isPrefix else { return }
                        for entry in trace {
                            stages[entry.stage, default: Sample()].add(.microseconds(entry.durationMicros))
                        }
                    })
            }
        }
        print("Chain alone (no storage, no HTTP): \(turns) turns per run, \(runs) runs, medians")
        print("chain" + String(repeating: " ", count: 64) + "turns/s      p50 µs   p99 µs   throughput vs empty")
        let baseline = median(results["empty", default: []].map(\.perSecond))
        for (name, _) in chains {
            let samples = results[name, default: []]
            let rate = median(samples.map(\.perSecond))
            print(
                name.padding(toLength: 69, withPad: " ", startingAt: 0)
                    + format(rate, 10, 0) + format(median(samples.map { $0.quantileMicros(0.5) }), 11, 2)
                    + format(median(samples.map { $0.quantileMicros(0.99) }), 9, 2)
                    + format(rate / baseline * 100, 12, 1) + " %")
        }
        print("understanding prefix by stage (all runs; µs as traced, so rounded down):")
        for (stage, sample) in stages.sorted(by: { $0.key < $1.key }) {
            print(
                "  " + stage.padding(toLength: 67, withPad: " ", startingAt: 0) + String(repeating: " ", count: 10)
                    + format(sample.quantileMicros(0.5), 11, 2) + format(sample.quantileMicros(0.99), 9, 2))
        }
    }

    /// The understanding stages alone, in chain order, as the issue's latency goal counts them.
    private func prefix(_ registry: StageRegistry) throws -> Chain {
        let ids: Set<String> = ["pii-redaction", "moderation", "language", "sentiment", "intent"]
        let entries = registry.defaultConfig.stages.filter { ids.contains($0.stage) }
        return try registry.compile(ChainConfig(stages: entries))
    }

    /// Runs `turns` turns through the chain, cycling through `messages`.
    private func measure(
        _ chain: Chain, context: StageContext, messages: [String], trace record: ([TraceEntry]) -> Void
    ) async -> Sample {
        var sample = Sample()
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<turns {
            let turnStart = clock.now
            var turn = Turn(
                tenantID: context.tenant.id, conversationID: ConversationID("c"), messageID: MessageID("m\(index)"),
                visitorID: VisitorID("v"), text: messages[index % messages.count])
            let result = await chain.run(&turn, context: context)
            sample.add(clock.now - turnStart)
            precondition(result.trace.count == chain.steps.count || result.decidedBy != nil)
            record(result.trace)
        }
        sample.total = clock.now - started
        return sample
    }

    private func format(_ value: Double, _ width: Int, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

import ArgumentParser
import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyServer
import ParleyStore
import ParleyUnderstanding
import ServiceLifecycle

/// `parley bench store`: SQLite against PostgreSQL in one run: message writes over HTTP, the job queue, and vector
/// search at scale (pgvector's HNSW index against the in-process exact index).
struct StoreBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract:
            "SQLite against PostgreSQL: message writes, job queue throughput, pgvector against the in-process index.")

    @Option(help: "PostgreSQL URL (postgres://...); each part runs in a schema of its own, created here.")
    var postgres: String

    @Option(help: "PostgreSQL URL with pgvector for the vector part (default: --postgres).")
    var pgvector: String?

    @Option(help: "First of the two ports for the benchmark servers.")
    var port = 18_090

    @Option(help: "Seconds per wrk run.")
    var seconds = 5

    @Option(help: "Runs per case; the report gives medians.")
    var runs = 3

    @Option(help: "Concurrent HTTP connections.")
    var connections = 16

    @Option(help: "Jobs per job-queue run.")
    var jobs = 2_000

    @Option(help: "Concurrent job workers.")
    var workers = 2

    @Option(help: "Chunks in the vector part.")
    var chunks = 100_000

    @Option(help: "Dimensions of the vectors.")
    var dimensions = 384

    @Option(help: "Queries per vector run.")
    var queries = 300

    @Option(help: "Parts to run: messages, jobs, vectors (comma-separated).")
    var parts = "messages,jobs,vectors"

    func run() async throws {
        let selected = Set(parts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if selected.contains("roundtrip") { try await roundTrips() }
        if selected.contains("messages") { try await messages() }
        if selected.contains("jobs") { try await jobQueue() }
        if selected.contains("vectors") { try await vectors() }
    }

    /// A URL for a fresh schema of the PostgreSQL database at `base`.
    private func freshSchema(_ base: String, _ name: String) -> String {
        let schema = "bench_\(name)_" + UUID().uuidString.prefix(8).lowercased()
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    // MARK: - Round trips

    /// The cost of one statement and of one tenant-scoped statement (a transaction with its scope), per store.
    private func roundTrips() async throws {
        let logger = BenchServer.logger
        let store = try await PostgresStore.open(
            PostgresConfiguration(url: freshSchema(postgres, "ping")), logger: logger)
        try await store.migrate()
        var pings = Sample()
        var scoped = Sample()
        let started = ContinuousClock.now
        for _ in 0..<1_000 {
            let before = ContinuousClock.now
            try await store.ping()
            pings.add(ContinuousClock.now - before)
            let middle = ContinuousClock.now
            _ = try await store.conversations.get(ConversationID("none"), tenant: TenantID("none"))
            scoped.add(ContinuousClock.now - middle)
        }
        pings.total = ContinuousClock.now - started
        try await store.close()
        print(
            String(
                format: "PostgreSQL round trip: SELECT 1 p50 %.0f µs p99 %.0f µs; scoped read p50 %.0f µs p99 %.0f µs",
                pings.quantileMicros(0.5), pings.quantileMicros(0.99), scoped.quantileMicros(0.5),
                scoped.quantileMicros(0.99)))
        print()
    }

    // MARK: - Message writes

    private func messages() async throws {
        let logger = BenchServer.logger
        var servers: [(name: String, base: String, group: ServiceGroup, task: Task<Void, any Error>, script: String)] =
            []
        var directories: [URL] = []
        defer { for directory in directories { try? FileManager.default.removeItem(at: directory) } }
        for (offset, name) in ["SQLite", "PostgreSQL"].enumerated() {
            var (configuration, directory) = BenchServer.configuration(port: port + offset, name: "parley-store-bench")
            directories.append(directory)
            if name == "PostgreSQL" { configuration.databaseURL = freshSchema(postgres, "messages") }
            let built = try await ParleyApp.build(configuration: configuration, logger: logger)
            let tenant = try requireValue(built.seed?.demoTenantID, "the bench database was not seeded")
            _ = try await built.store.chains.activate(
                ChainConfig(stages: [ChainEntry(stage: "fallback")]), tenant: tenant, by: nil)
            let group = ServiceGroup(services: [built.application], logger: logger)
            let task = Task { try await group.run() }
            let base = "http://127.0.0.1:\(port + offset)"
            try await Wrk.waitUntilUp(base)
            var sessions: [(token: String, conversation: String)] = []
            for _ in 0..<64 { sessions.append(try await Wrk.openSession(base, widgetKey: "demo")) }
            let script = directory.appendingPathComponent("messages.lua").path
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Wrk.messageScript(sessions).write(toFile: script, atomically: true, encoding: .utf8)
            servers.append((name, base, group, task, script))
        }
        let wrk = Wrk(connections: connections)
        var results: [String: [Wrk.Result]] = [:]
        for server in servers { _ = try wrk.run(server.base + "/api/chat/message", script: server.script, seconds: 1) }
        for _ in 0..<runs {
            for server in servers {
                results[server.name, default: []].append(
                    try wrk.run(server.base + "/api/chat/message", script: server.script, seconds: seconds))
            }
        }
        for server in servers {
            await server.group.triggerGracefulShutdown()
            try await server.task.value
        }
        print(
            "Message writes: POST /api/chat/message (offline answer), wrk -c\(connections) -d\(seconds)s, \(runs) runs, medians"
        )
        print("store         req/s     p50 ms   p99 ms")
        for server in servers {
            let figures = results[server.name, default: []]
            print(
                server.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(
                        format: "%9.0f %10.2f %8.2f", median(figures.map(\.requestsPerSecond)),
                        median(figures.map(\.p50Milliseconds)), median(figures.map(\.p99Milliseconds))))
        }
        let sqlite = median(results["SQLite", default: []].map(\.requestsPerSecond))
        let postgresRate = median(results["PostgreSQL", default: []].map(\.requestsPerSecond))
        print(String(format: "PostgreSQL = %.2f x SQLite's requests/s", postgresRate / max(sqlite, 1)))
        let errors = results.values.flatMap { $0 }.map(\.errors).reduce(0, +)
        if errors > 0 { print("non-2xx responses during the runs: \(errors)") }
        print()
    }

    // MARK: - Job queue

    private func jobQueue() async throws {
        let logger = BenchServer.logger
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-jobs-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stores: [(String, any ParleyStore)] = [
            (
                "SQLite",
                try await SQLiteStore.open(path: directory.appendingPathComponent("jobs.sqlite").path, logger: logger)
            ),
            (
                "PostgreSQL",
                try await PostgresStore.open(PostgresConfiguration(url: freshSchema(postgres, "jobs")), logger: logger)
            ),
        ]
        var rates: [String: [Double]] = [:]
        for (_, store) in stores {
            try await store.migrate()
            try await store.tenants.create(
                Tenant(
                    id: TenantID("bench"), name: "Bench", widgetKey: "bench-\(UUID())", fallbackText: "",
                    createdAt: Date()))
        }
        let file = Data(String(repeating: "Refunds take five business days. ", count: 30).utf8)
        for _ in 0..<runs {
            for (name, store) in stores {
                for index in 0..<jobs {
                    let job = IngestionJob(
                        id: .generate(), tenantID: TenantID("bench"), filename: "f\(index).txt", title: nil,
                        sourceKey: nil, url: nil, createdAt: Date())
                    try await store.ingestionJobs.enqueue(job, data: file)
                }
                let started = ContinuousClock.now
                let done = try await withThrowingTaskGroup(of: Int.self) { group in
                    for worker in 0..<workers {
                        group.addTask {
                            var count = 0
                            let name = "bench-\(worker)"
                            while let (job, _) = try await store.ingestionJobs.claimNext(
                                worker: name, lease: 30, now: Date())
                            {
                                _ = try await store.ingestionJobs.finish(
                                    job.id, tenant: job.tenantID, worker: name, status: .ready, error: nil,
                                    documents: 1, now: Date())
                                count += 1
                            }
                            return count
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                guard done == jobs else { throw CommandFailure("\(name): \(done) of \(jobs) jobs ran") }
                rates[name, default: []].append(Double(done) / seconds)
            }
        }
        for (_, store) in stores { try await store.close() }
        print("Job queue: \(jobs) queued jobs claimed and finished by \(workers) workers, \(runs) runs, medians")
        for name in ["SQLite", "PostgreSQL"] {
            print(String(format: "%-10@ %9.0f jobs/s", name as NSString, median(rates[name, default: []])))
        }
        print(
            String(
                format: "PostgreSQL = %.2f x SQLite's jobs/s",
                median(rates["PostgreSQL", default: []]) / max(median(rates["SQLite", default: []]), 1)))
        print()
    }

    // MARK: - Vectors

    private func vectors() async throws {
        let logger = BenchServer.logger
        let store = try await PostgresStore.open(
            PostgresConfiguration(url: freshSchema(pgvector ?? postgres, "vectors")), logger: logger)
        try await store.migrate()
        guard store.knowledge.vectorSearch == "pgvector" else {
            throw CommandFailure("the database at --pgvector has no pgvector extension")
        }
        let tenant = TenantID("bench")
        try await store.tenants.create(
            Tenant(id: tenant, name: "Bench", widgetKey: "bench-\(UUID())", fallbackText: "", createdAt: Date()))
        var generator = SplitMix64(seed: 42)
        func randomVector() -> [Float] {
            let raw = (0..<dimensions).map { _ in Float.random(in: -1...1, using: &generator) }
            let norm = sqrt(raw.map { $0 * $0 }.reduce(0, +))
            return raw.map { $0 / norm }
        }
        var index = VectorIndex(dimensions: dimensions)
        let loading = ContinuousClock.now
        let perDocument = 1_000
        for first in stride(from: 0, to: chunks, by: perDocument) {
            let id = KnowledgeDocumentID.generate()
            let count = min(perDocument, chunks - first)
            let document = KnowledgeDocument(
                id: id, tenantID: tenant, kind: "text", sourceKey: "doc-\(first)", title: "Doc", url: nil,
                contentHash: "\(first)", version: 1, chunkCount: count, embeddingModel: "bench-\(dimensions)",
                createdAt: Date(), updatedAt: Date())
            var batch: [KnowledgeChunk] = []
            for offset in 0..<count {
                let vector = randomVector()
                let chunkID = "c\(first + offset)"
                try index.add(id: chunkID, vector: vector)
                batch.append(
                    KnowledgeChunk(
                        id: chunkID, tenantID: tenant, documentID: id, position: offset, title: "Doc",
                        headingPath: [], url: nil, text: "chunk \(first + offset)", embedding: vector))
            }
            _ = try await store.knowledge.store(document, chunks: batch)
        }
        let loaded = ContinuousClock.now - loading
        let probes = (0..<queries).map { _ in randomVector() }
        var database: [Sample] = []
        var inProcess: [Sample] = []
        var recall: [Double] = []
        for _ in 0..<runs {
            var pg = Sample()
            var local = Sample()
            let started = ContinuousClock.now
            for probe in probes {
                let before = ContinuousClock.now
                let found = try await store.knowledge.nearest(
                    to: probe, model: "bench-\(dimensions)", tenant: tenant, limit: 20, scoring: [])
                pg.add(ContinuousClock.now - before)
                let middle = ContinuousClock.now
                let exact = index.search(probe, k: 20)
                local.add(ContinuousClock.now - middle)
                let truth = Set(exact.prefix(10).map(\.id))
                recall.append(Double((found?.nearest.prefix(10).filter { truth.contains($0.id) }.count) ?? 0) / 10)
            }
            pg.total = ContinuousClock.now - started
            local.total = pg.total
            database.append(pg)
            inProcess.append(local)
        }
        try await store.close()
        print(
            "Vector search: \(chunks) chunks of \(dimensions) dimensions, top 20, \(queries) queries x \(runs) runs, "
                + "medians (loaded in \(loaded))")
        for (name, samples) in [("pgvector HNSW", database), ("in-process exact", inProcess)] {
            print(
                name.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(
                        format: "p50 %8.2f ms   p99 %8.2f ms", median(samples.map { $0.quantileMicros(0.5) }) / 1_000,
                        median(samples.map { $0.quantileMicros(0.99) }) / 1_000))
        }
        print(
            String(
                format: "pgvector p99 = %.2f x the in-process index's; recall@10 against exact search %.3f",
                median(database.map { $0.quantileMicros(0.99) })
                    / max(median(inProcess.map { $0.quantileMicros(0.99) }), 1),
                recall.reduce(0, +) / Double(max(recall.count, 1))))
    }
}

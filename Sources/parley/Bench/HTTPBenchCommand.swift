import ArgumentParser
import Foundation
import Logging
import ParleyCore
import ParleyServer
import ParleyStore
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `parley bench http`: requests per second of `POST /api/chat/message` against `GET /health/live` on one server.
///
/// It starts a server in this process on a fresh database, and drives it with `wrk` (Debian package `wrk`).
struct HTTPBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "HTTP round trip of /api/chat/message against the trivial /health/live route, with wrk.")

    @Option(help: "Port for the benchmark server.")
    var port = 18_080

    @Option(help: "Seconds per wrk run.")
    var seconds = 5

    @Option(help: "Runs per route; the report gives medians.")
    var runs = 3

    @Option(help: "Concurrent connections.")
    var connections = 16

    @Option(help: "Visitor conversations to spread messages over.")
    var conversations = 64

    @Option(help: "SQLite durability: normal (survives process crashes) or full (flush every commit).")
    var durability = "normal"

    @Flag(
        help: """
            Also time routes that each add one step of the message route (decode, token, a read, the customer \
            message stored, a bare reply stored), to show what each step costs.
            """)
    var breakdown = false

    @Flag(
        help: """
            Also time the message route for a tenant whose turns are not stored (`UnstoredTurns`: its conversation read once and \
            remembered, nothing of the turn written): what the route would reach if storing cost nothing.
            """)
    var ceiling = false

    func run() async throws {
        var (configuration, directory) = BenchServer.configuration(port: port, name: "parley-bench")
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let durability = SQLiteDurability(rawValue: durability) else {
            throw ValidationError("--durability must be normal or full")
        }
        configuration.sqliteDurability = durability
        configuration.benchmarkRoutes = breakdown
        let logger = BenchServer.logger
        var registry = StageCatalog.registry()
        for step in TrivialStep.ten { registry.register(step: step) }
        let opened = try await configuration.openStore(logger: logger)
        let unstoredTurns = UnstoredTurns(base: opened.turns)
        let built = try await ParleyApp.build(
            configuration: configuration, logger: logger, store: ForwardingStore(base: opened, turns: unstoredTurns),
            registry: registry)
        let group = ServiceGroup(services: [built.application], logger: logger)
        let server = Task { try await group.run() }
        let base = "http://127.0.0.1:\(port)"
        try await Wrk.waitUntilUp(base)

        // Two tenants that differ only in their chains; every message takes the full bot path (stored, chain,
        // reply stored).
        let minimal = try requireValue(built.seed?.demoTenantID, "the bench database was not seeded")
        _ = try await built.store.chains.activate(
            ChainConfig(stages: [ChainEntry(stage: "fallback")]), tenant: minimal, by: nil)
        let second = try await Provisioning.createTenant(
            store: built.store, name: "Bench", adminEmail: "bench@bench.test", bcryptCost: 4)
        _ = try await built.store.chains.activate(
            ChainConfig(
                stages: TrivialStep.ten.map { ChainEntry(stage: $0.manifest.id) } + [ChainEntry(stage: "fallback")]),
            tenant: TenantID(second.tenantID), by: nil)
        var tenants = [
            ("POST /api/chat/message, 1 stage", "demo"), ("POST /api/chat/message, 11 stages", second.widgetKey),
        ]
        if ceiling {
            let unstored = try await Provisioning.createTenant(
                store: built.store, name: "Unstored", adminEmail: "unstored@bench.test", bcryptCost: 4)
            _ = try await built.store.chains.activate(
                ChainConfig(stages: [ChainEntry(stage: "fallback")]), tenant: TenantID(unstored.tenantID), by: nil)
            unstoredTurns.stopStoring(tenant: TenantID(unstored.tenantID))
            tenants.append((Self.unstoredName, unstored.widgetKey))
        }
        let scripts = tenants.map { name, widgetKey in
            (name, directory.appendingPathComponent("\(widgetKey).lua").path, widgetKey)
        }
        for (_, path, widgetKey) in scripts {
            var sessions: [(token: String, conversation: String)] = []
            for _ in 0..<conversations { sessions.append(try await Wrk.openSession(base, widgetKey: widgetKey)) }
            try Wrk.messageScript(sessions).write(toFile: path, atomically: true, encoding: .utf8)
        }

        let wrk = Wrk(connections: connections)
        _ = try wrk.run(base + "/health/live", script: nil, seconds: 1)  // warm up
        var results: [String: [Wrk.Result]] = [:]
        var cpu: [String: [ThreadCPU]] = [:]  // per request
        func measure(_ name: String, _ url: String, script: String?) throws {
            let before = ThreadCPU.Sample.now()
            let result = try wrk.run(url, script: script, seconds: seconds)
            results[name, default: []].append(result)
            cpu[name, default: []].append(ThreadCPU.Sample.now().cpu(since: before).perRequest(max(result.requests, 1)))
        }
        let trivialName = "GET /health/live (trivial)"
        for _ in 0..<runs {  // interleaved, so machine noise hits every route alike
            try measure(trivialName, base + "/health/live", script: nil)
            for (name, path, _) in scripts { try measure(name, base + "/api/chat/message", script: path) }
            for step in breakdown ? BenchmarkRoutes.steps : [] {  // the 1-stage tenant's sessions and bodies
                try measure(step.path, base + step.path, script: scripts[0].1)
            }
        }
        await group.triggerGracefulShutdown()
        try await server.value
        func rate(_ name: String) -> Double { median(results[name, default: []].map(\.requestsPerSecond)) }
        print(
            "HTTP round trip: wrk -t1 -c\(connections) -d\(seconds)s, \(runs) runs each, medians; "
                + "SQLite synchronous=\(durability.rawValue)")
        print("route                                   req/s     p50 ms   p99 ms")
        for name in [trivialName] + scripts.map(\.0) {
            let runs = results[name, default: []]
            print(
                name.padding(toLength: 36, withPad: " ", startingAt: 0)
                    + String(
                        format: "%9.0f %10.2f %8.2f", rate(name), median(runs.map(\.p50Milliseconds)),
                        median(runs.map(\.p99Milliseconds))))
        }
        print(
            String(
                format: "message route (1 stage) = %.1f %% of the trivial route's requests/s",
                rate(scripts[0].0) / rate(trivialName) * 100))
        print(
            String(
                format: "11-stage chain = %.1f %% of the 1-stage chain's turns/s (cost %.1f %%)",
                rate(scripts[1].0) / rate(scripts[0].0) * 100, (1 - rate(scripts[1].0) / rate(scripts[0].0)) * 100))
        if ceiling {
            print(
                String(
                    format: "message route (1 stage), nothing stored = %.1f %% of the trivial route's requests/s "
                        + "(the most any store could give)", rate(Self.unstoredName) / rate(trivialName) * 100))
        }
        printCPU(cpu, routes: [trivialName] + scripts.map(\.0))
        if breakdown {
            print("each step of the message route (routes that add one step each; every message stored is new):")
            for step in BenchmarkRoutes.steps {
                let runs = results[step.path, default: []]
                print(
                    "  " + step.adds.padding(toLength: 48, withPad: " ", startingAt: 0)
                        + String(
                            format: "%9.0f req/s %6.1f %% of trivial   p50 %5.2f ms   CPU %6.1f µs", rate(step.path),
                            rate(step.path) / rate(trivialName) * 100, median(runs.map(\.p50Milliseconds)),
                            median(cpu[step.path, default: []].map(\.total)) * 1e6))
            }
        }
        let errors = results.values.flatMap { $0 }.map(\.errors).reduce(0, +)
        if errors > 0 { print("non-2xx responses during the runs: \(errors)") }
    }
}

extension HTTPBenchCommand {
    /// The route name of the message route for the tenant whose turns are not stored (`--ceiling`).
    static let unstoredName = "POST /api/chat/message, unstored"

    /// Prints the server's CPU time per request on each route, by thread group (medians of the runs).
    func printCPU(_ cpu: [String: [ThreadCPU]], routes: [String]) {
        guard cpu.values.contains(where: { $0.contains { $0.total > 0 } }) else { return }
        let groups = ThreadCPU.Group.allCases
        print("server CPU per request, µs (medians of the runs; wrk's own CPU not included):")
        print(
            "route".padding(toLength: 36, withPad: " ", startingAt: 0)
                + (["total"] + groups.map(\.rawValue)).map { $0.leftPadded(to: 14) }.joined())
        for name in routes {
            let samples = cpu[name, default: []]
            let total = median(samples.map(\.total)) * 1e6
            let parts = groups.map { group in median(samples.map { $0.seconds[group, default: 0] }) * 1e6 }
            print(
                name.padding(toLength: 36, withPad: " ", startingAt: 0)
                    + ([total] + parts).map { String(format: "%.1f", $0).leftPadded(to: 14) }.joined())
        }
    }
}

extension ThreadCPU {
    /// This CPU time divided among `requests`.
    func perRequest(_ requests: Int) -> ThreadCPU {
        ThreadCPU(seconds: seconds.mapValues { $0 / Double(requests) })
    }
}

extension String {
    /// The string with spaces before it up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}

/// The value, or a validation error with `message`.
func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw ValidationError(message) }
    return value
}

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

    func run() async throws {
        var (configuration, directory) = BenchServer.configuration(port: port, name: "parley-bench")
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let durability = SQLiteDurability(rawValue: durability) else {
            throw ValidationError("--durability must be normal or full")
        }
        configuration.sqliteDurability = durability
        let logger = BenchServer.logger
        var registry = StageCatalog.registry()
        for step in TrivialStep.ten { registry.register(step: step) }
        let built = try await ParleyApp.build(configuration: configuration, logger: logger, registry: registry)
        let group = ServiceGroup(services: [built.application], logger: logger)
        let server = Task { try await group.run() }
        let base = "http://127.0.0.1:\(port)"
        try await waitUntilUp(base)

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
        let scripts = [
            ("POST /api/chat/message, 1 stage", "demo"), ("POST /api/chat/message, 11 stages", second.widgetKey),
        ].map { name, widgetKey in (name, directory.appendingPathComponent("\(widgetKey).lua").path, widgetKey) }
        for (_, path, widgetKey) in scripts {
            var sessions: [(token: String, conversation: String)] = []
            for _ in 0..<conversations { sessions.append(try await openSession(base, widgetKey: widgetKey)) }
            try messageScript(sessions).write(toFile: path, atomically: true, encoding: .utf8)
        }

        _ = try wrk(base + "/health/live", script: nil, seconds: 1)  // warm up
        var results: [String: [WrkResult]] = [:]
        let trivialName = "GET /health/live (trivial)"
        for _ in 0..<runs {  // interleaved, so machine noise hits every route alike
            results[trivialName, default: []].append(try wrk(base + "/health/live", script: nil, seconds: seconds))
            for (name, path, _) in scripts {
                results[name, default: []].append(try wrk(base + "/api/chat/message", script: path, seconds: seconds))
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
        let errors = results.values.flatMap { $0 }.map(\.errors).reduce(0, +)
        if errors > 0 { print("non-2xx responses during the runs: \(errors)") }
    }

    private struct WrkResult {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var errors: Int
    }

    private func wrk(_ url: String, script: String?, seconds: Int) throws -> WrkResult {
        let (status, output) = try Subprocess.run(
            ["wrk", "-t1", "-c\(connections)", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? []) + [url]
        )
        guard status == 0, let rate = value(after: "Requests/sec:", in: output) else {
            throw ValidationError("wrk failed (install it with apt-get install wrk):\n\(output)")
        }
        let non2xx = Int(value(after: "Non-2xx or 3xx responses:", in: output) ?? 0)
        return WrkResult(
            requestsPerSecond: rate, p50Milliseconds: latency(after: "50%", in: output),
            p99Milliseconds: latency(after: "99%", in: output), errors: non2xx)
    }

    private func value(after label: String, in output: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
        return Double(line.replacingOccurrences(of: label, with: "").trimmingCharacters(in: .whitespaces))
    }

    /// A wrk latency percentile line such as `99%   12.34ms`, in milliseconds.
    private func latency(after label: String, in output: String) -> Double {
        guard
            let line = output.split(separator: "\n").first(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(label)
            })
        else { return 0 }
        let text = line.split(separator: " ").last.map(String.init) ?? ""
        let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? 0) * scale
        }
        return 0
    }

    /// A wrk script that posts a new message, with a unique client id, to a random conversation per request.
    private func messageScript(_ sessions: [(token: String, conversation: String)]) -> String {
        let entries = sessions.map { "{\"\($0.token)\",\"\($0.conversation)\"}" }.joined(separator: ",\n")
        return """
            local sessions = {
            \(entries)
            }
            local counter = 0
            math.randomseed(os.time())
            local prefix = tostring(math.random(1, 1000000000))
            request = function()
              counter = counter + 1
              local s = sessions[math.random(1, #sessions)]
              local body = '{"conversation_id":"' .. s[2] .. '","client_message_id":"' .. prefix .. '-' .. counter ..
                '","text":"What are your opening hours on Sunday?"}'
              return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                ["Authorization"] = "Bearer " .. s[1]}, body)
            end
            """
    }

    private func waitUntilUp(_ base: String) async throws {
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/health/live")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the benchmark server did not start on port \(port)")
    }

    private func openSession(_ base: String, widgetKey: String) async throws -> (token: String, conversation: String) {
        var request = URLRequest(url: URL(string: base + "/api/widget/session")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("http://localhost", forHTTPHeaderField: "Origin")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["widget_key": widgetKey])
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard let token = object?["visitor_token"] as? String, let conversation = object?["conversation_id"] as? String
        else { throw ValidationError("could not open a visitor session: \(String(decoding: data, as: UTF8.self))") }
        return (token, conversation)
    }
}

/// The value, or a validation error with `message`.
func requireValue<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw ValidationError(message) }
    return value
}

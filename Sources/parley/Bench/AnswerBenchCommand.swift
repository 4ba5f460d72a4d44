import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ParleyCore
import ParleyServer
import ServiceLifecycle

/// `parley bench answer`: the latency the gateway adds to a streamed model answer, to the first token and to the
/// whole reply, against calling the same loopback provider directly, in one run.
///
/// A fake OpenAI-compatible provider in this process streams a fixed answer as Chat Completions chunks. The direct
/// client streams it with AsyncHTTPClient; the gateway path is `POST /api/chat/message` with
/// `Accept: text/event-stream` on a Parley server with the full default chain, an FAQ to retrieve, and the
/// provider configured as the tenant's model. Requests run one at a time, alternating between the two paths, each
/// question unique (so the answer cache never answers) and each in a conversation of its own.
struct AnswerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Gateway-added latency to the first token and the full reply of a streamed model answer.")

    @Option(help: "Port for the Parley server; the fake provider listens on the next one.")
    var port = 18_180

    @Option(help: "Requests per path per run.")
    var requests = 300

    @Option(help: "Runs; the report gives the median of each figure.")
    var runs = 3

    @Option(help: "Milliseconds between the provider's chunks (0: as fast as it can).")
    var chunkInterval = 0

    @Option(help: "Embedding model directory for semantic retrieval (default: lexical retrieval only).")
    var embedModel = ""

    static let pieces = [
        "Refunds", " are", " paid", " back", " to", " the", " original", " card", " within", " five", " business",
        " days", " of", " the", " return", " arriving", " at", " our", " warehouse", " [1].",
    ]

    func run() async throws {
        let providerPort = port + 1
        let provider = try fakeProvider(port: providerPort)
        var (configuration, directory) = BenchServer.configuration(port: port, name: "parley-answer-bench")
        defer { try? FileManager.default.removeItem(at: directory) }
        configuration.embeddingModelDirectory = embedModel
        let logger = BenchServer.logger
        let built = try await ParleyApp.build(configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [built.application, provider], logger: logger)
        let server = Task { try await group.run() }
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(port)"
        let providerURL = "http://127.0.0.1:\(providerPort)/v1"
        try await waitUntilUp(base + "/health/live")
        try await waitUntilUp(providerURL + "/models")
        let seed = try requireValue(built.seed, "the bench database was not seeded")
        let admin = try await login(base, seed.demoAdminEmail, seed.demoAdminPassword)
        try await send(
            base + "/api/assistant", method: .PUT, token: admin,
            json: [
                "persona": ["company_name": "Demo Shop"],
                "providers": [
                    ["name": "fake", "kind": "openai_compatible", "base_url": providerURL, "model": "fake-model"]
                ],
            ])
        try await send(
            base + "/api/knowledge/faq", method: .POST, token: admin,
            json: [
                "question": "How long do refunds take?",
                "answer": "Refunds are paid back to the original card within five business days.",
            ])

        var direct: [(first: [Double], full: [Double])] = []
        var gateway: [(first: [Double], full: [Double])] = []
        var counter = 0
        var lastConversations: [String] = []
        for _ in 0..<runs {
            var directRun: (first: [Double], full: [Double]) = ([], [])
            var gatewayRun: (first: [Double], full: [Double]) = ([], [])
            for _ in 0..<requests {
                counter += 1
                let (token, conversation) = try await openSession(base)
                lastConversations = Array((lastConversations + [conversation]).suffix(50))
                let viaGateway = try await timeGateway(
                    base, token: token, conversation: conversation, question: "How long do refunds take? #\(counter)")
                let straight = try await timeDirect(providerURL)
                gatewayRun.first.append(viaGateway.first)
                gatewayRun.full.append(viaGateway.full)
                directRun.first.append(straight.first)
                directRun.full.append(straight.full)
            }
            direct.append(directRun)
            gateway.append(gatewayRun)
        }
        let stages = try await stageMedians(base, admin: admin, conversations: lastConversations)
        await group.triggerGracefulShutdown()
        try? await server.value

        func figure(
            _ runs: [(first: [Double], full: [Double])], _ path: KeyPath<(first: [Double], full: [Double]), [Double]>,
            _ q: Double
        )
            -> Double
        {
            median(runs.map { quantile($0[keyPath: path], q) })
        }
        print(
            "Streamed answer latency: \(runs) runs × \(requests) requests per path, one at a time, medians of runs; "
                + "chunk interval \(chunkInterval) ms; retrieval \(embedModel.isEmpty ? "lexical" : "hybrid")")
        print("path                          first p50   first p99    full p50    full p99   (ms)")
        for (name, data) in [("provider directly", direct), ("through Parley", gateway)] {
            print(
                name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(
                        format: "%10.2f  %10.2f  %10.2f  %10.2f", figure(data, \.first, 0.5),
                        figure(data, \.first, 0.99),
                        figure(data, \.full, 0.5), figure(data, \.full, 0.99)))
        }
        let added = (
            firstP50: figure(gateway, \.first, 0.5) - figure(direct, \.first, 0.5),
            firstP99: figure(gateway, \.first, 0.99) - figure(direct, \.first, 0.99),
            fullP50: figure(gateway, \.full, 0.5) - figure(direct, \.full, 0.5),
            fullP99: figure(gateway, \.full, 0.99) - figure(direct, \.full, 0.99)
        )
        print(
            String(
                format: "added by Parley: first token p50 %.2f ms, p99 %.2f ms; full reply p50 %.2f ms, p99 %.2f ms",
                added.firstP50, added.firstP99, added.fullP50, added.fullP99))
        print(
            "stage medians over the last \(lastConversations.count) turns (µs): "
                + stages.map { "\($0.stage) \(Int($0.micros))" }.joined(separator: ", "))
    }

    /// The median duration of each stage in the traces of the conversations' turns, in chain order.
    private func stageMedians(_ base: String, admin: String, conversations: [String]) async throws -> [(
        stage: String, micros: Double
    )] {
        var order: [String] = []
        var durations: [String: [Double]] = [:]
        for conversation in conversations {
            let detail = try await send(
                base + "/api/conversations/\(conversation)", method: .GET, token: admin, json: nil)
            let turns = detail["turns"] as? [[String: Any]] ?? []
            for entry in turns.first?["trace"] as? [[String: Any]] ?? [] {
                guard let stage = entry["stage"] as? String, let micros = entry["duration_us"] as? Double else {
                    continue
                }
                if durations[stage] == nil { order.append(stage) }
                durations[stage, default: []].append(micros)
            }
        }
        return order.map { ($0, median(durations[$0] ?? [])) }
    }

    // MARK: - The two paths

    /// Time to the first content chunk and to the end of the stream, calling the provider directly.
    private func timeDirect(_ providerURL: String) async throws -> (first: Double, full: Double) {
        var request = HTTPClientRequest(url: providerURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(
                string:
                    #"{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"How long do refunds take?"}]}"#
            ))
        return try await timeStream(request, firstMarker: "\"content\"")
    }

    /// Time to the first `delta` event and to the end of the stream, through the gateway.
    private func timeGateway(_ base: String, token: String, conversation: String, question: String) async throws -> (
        first: Double, full: Double
    ) {
        var request = HTTPClientRequest(url: base + "/api/chat/message")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let body = ["conversation_id": conversation, "client_message_id": UUID().uuidString, "text": question]
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let timing = try await timeStream(request, firstMarker: "event: delta")
        return timing
    }

    /// Sends the request and times, in milliseconds, the first body part containing `firstMarker` and the end.
    private func timeStream(_ request: HTTPClientRequest, firstMarker: String) async throws -> (
        first: Double, full: Double
    ) {
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        guard response.status == .ok else { throw CommandFailure("\(request.url) answered \(response.status)") }
        var first: Duration?
        var seen = ""
        for try await part in response.body {
            if first == nil {
                seen += String(buffer: part)
                if seen.contains(firstMarker) { first = ContinuousClock.now - start }
            }
        }
        let full = ContinuousClock.now - start
        guard let first else { throw CommandFailure("no content arrived from \(request.url)") }
        return (Self.milliseconds(first), Self.milliseconds(full))
    }

    // MARK: - The fake provider

    /// An OpenAI-compatible server that streams `pieces` as Chat Completions chunks, then usage and `[DONE]`.
    private func fakeProvider(port: Int) throws -> some Service {
        let router = Router()
        let interval = chunkInterval
        router.get("/v1/models") { _, _ in #"{"object":"list","data":[{"id":"fake-model","object":"model"}]}"# }
        router.post("/v1/chat/completions") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            let (body, continuation) = AsyncStream<ByteBuffer>.makeStream()
            Task {
                for piece in Self.pieces {
                    continuation.yield(ByteBuffer(string: Self.chunk(piece)))
                    if interval > 0 { try? await Task.sleep(for: .milliseconds(interval)) }
                }
                continuation.yield(
                    ByteBuffer(
                        string:
                            #"data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":150,"completion_tokens":20}}"#
                            + "\n\ndata: [DONE]\n\n"))
                continuation.finish()
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody(asyncSequence: body))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    private static func chunk(_ piece: String) -> String {
        let escaped = piece.replacingOccurrences(of: "\"", with: "\\\"")
        return #"data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""#
            + escaped + "\"}}]}\n\n"
    }

    // MARK: - Helpers

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    private func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))]
    }

    private func waitUntilUp(_ url: String) async throws {
        for _ in 0..<100 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(1)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure("\(url) did not come up")
    }

    @discardableResult
    private func send(_ url: String, method: HTTPMethod, token: String? = nil, json: Any?) async throws -> [String: Any]
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Origin", value: "http://localhost")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json { request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw CommandFailure("\(url) answered \(response.status): \(String(buffer: body))")
        }
        return (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }

    private func login(_ base: String, _ email: String, _ password: String) async throws -> String {
        let reply = try await send(
            base + "/api/auth/login", method: .POST, json: ["email": email, "password": password])
        return try requireValue(reply["access_token"] as? String, "login failed")
    }

    private func openSession(_ base: String) async throws -> (token: String, conversation: String) {
        let reply = try await send(base + "/api/widget/session", method: .POST, json: ["widget_key": "demo"])
        guard let token = reply["visitor_token"] as? String, let conversation = reply["conversation_id"] as? String
        else { throw CommandFailure("could not open a visitor session") }
        return (token, conversation)
    }
}

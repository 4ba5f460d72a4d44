import AsyncHTTPClient
import Foundation
import ParleyAI
import Testing

/// The live server's base URL, from `PARLEY_LIVE_MODEL_URL`.
private let liveModelURL = ProcessInfo.processInfo.environment["PARLEY_LIVE_MODEL_URL"]

/// Opt-in checks against a real OpenAI-compatible server.
///
/// For example llama.cpp's server from PyPI:
///
/// ```sh
/// pip install 'llama-cpp-python[server]'
/// python -m llama_cpp.server --model gemma3-270m-q4_k_m.gguf --port 8089 &
/// PARLEY_LIVE_MODEL_URL=http://127.0.0.1:8089 swift test --filter LiveModelTests
/// ```
///
/// `PARLEY_LIVE_MODEL_KEY` and `PARLEY_LIVE_MODEL` are sent when set.
@Suite(.enabled(if: liveModelURL != nil, "set PARLEY_LIVE_MODEL_URL to run"))
struct LiveModelTests {
    private let environment = ProcessInfo.processInfo.environment

    @Test func streamsAShortAnswerWithUsage() async throws {
        let client = ProviderTimeouts(connect: .seconds(2), read: .seconds(60)).makeHTTPClient()
        let model = try OpenAICompatibleProvider(
            name: "live", baseURL: liveModelURL ?? "", apiKey: environment["PARLEY_LIVE_MODEL_KEY"],
            defaultModel: environment["PARLEY_LIVE_MODEL"], httpClient: client, responseTimeout: .seconds(60))
        let request = ChatRequest(messages: [.user("Say hello in three words.")], temperature: 0, maxTokens: 16)
        var meter = TokenMeter(request: request)
        var deltas = 0
        do {
            for try await event in model.stream(request) {
                if case .delta = event { deltas += 1 }
                meter.record(event)
            }
            let response = try await model.complete(request)
            #expect(!response.text.isEmpty)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(deltas > 1, "a real server streams several deltas")
        #expect(!meter.text.isEmpty)
        #expect(meter.finishReason != nil)
        #expect(meter.usage.completionTokens > 0)
    }

    @Test func cancellingAStreamStopsIt() async throws {
        let client = ProviderTimeouts(connect: .seconds(2), read: .seconds(60)).makeHTTPClient()
        let model = try OpenAICompatibleProvider(
            name: "live", baseURL: liveModelURL ?? "", apiKey: environment["PARLEY_LIVE_MODEL_KEY"],
            defaultModel: environment["PARLEY_LIVE_MODEL"], httpClient: client, responseTimeout: .seconds(60))
        let request = ChatRequest(messages: [.user("Count from 1 to 200.")], maxTokens: 400)
        let consumer = Task {
            var deltas = 0
            for try await event in model.stream(request) {
                if case .delta = event { deltas += 1 }
                if deltas == 3 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return deltas
        }
        let deltas = try await consumer.value
        try await client.shutdown()
        #expect(deltas == 3)
    }
}

import AsyncHTTPClient
import ParleyAI

/// The API key the tests send; it must never appear in an error description.
let testAPIKey = "sk-test-Zx81bQ2mN4pL7vR0kT5sW9yC3dF6hJ1a"

/// Runs `body` with a fake server and an HTTP client made with ``ProviderTimeouts``, and shuts both down.
func withFakeServer<T: Sendable>(
    timeouts: ProviderTimeouts = ProviderTimeouts(connect: .seconds(5), read: .seconds(30)),
    _ body: @Sendable (FakeOpenAIServer, HTTPClient) async throws -> T
) async throws -> T {
    try await FakeOpenAIServer.with { server in
        let client = timeouts.makeHTTPClient()
        do {
            let result = try await body(server, client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// An OpenAI-compatible provider for the fake server.
func provider(
    _ server: FakeOpenAIServer, _ client: HTTPClient, name: String = "fake", path: String = "/v1"
) throws -> OpenAICompatibleProvider {
    try OpenAICompatibleProvider(
        name: name, baseURL: server.baseURL + path, apiKey: testAPIKey, defaultModel: "gpt-4o-mini",
        httpClient: client)
}

/// A one-message request.
let hello = ChatRequest(messages: [.system("You are Parley."), .user("Hello?")])

/// Drains a stream, returning its events and the error that ended it, if any.
func drain(_ stream: ChatEventStream) async -> ([ChatStreamEvent], ProviderError?) {
    var events: [ChatStreamEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, ProviderError(wrapping: error))
    }
}

/// The text of the deltas among `events`.
func text(of events: [ChatStreamEvent]) -> String {
    events.map { event in
        if case .delta(let piece) = event { return piece }
        return ""
    }.joined()
}

/// Measures how long `body` takes.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let result = try await body()
    return (result, start.duration(to: .now))
}

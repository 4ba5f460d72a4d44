import AsyncHTTPClient
import Logging

/// A provider speaking the OpenAI Chat Completions wire format: OpenAI itself, or any compatible server (vLLM,
/// llama.cpp server, Ollama, LiteLLM, …).
///
/// Streams ask for `"stream": true` with `"stream_options": {"include_usage": true}` and read the
/// Server-Sent Events incrementally, yielding each delta as its chunk arrives.
public struct OpenAICompatibleProvider: ChatProvider {
    public let name: String
    private let transport: ChatCompletionsTransport

    /// The URL requests go to (no secrets in it).
    public var endpointURL: String { transport.endpoint.url }

    /// Creates a provider for an OpenAI-compatible base URL.
    ///
    /// - Parameters:
    ///   - name: the provider's name in traces and errors.
    ///   - baseURL: the server, with or without `/v1` (see ``ChatEndpoint/openAICompatible(baseURL:apiKey:)``).
    ///   - apiKey: sent as `Authorization: Bearer …`; `nil` for local servers without authentication.
    ///   - defaultModel: the model used when a request names none.
    ///   - httpClient: the shared client; its configuration holds the connect and read timeouts
    ///     (``ProviderTimeouts/makeHTTPClient(eventLoopGroup:)``).
    ///   - responseTimeout: time allowed until the response head arrives. A non-streaming call only gets its head
    ///     once the whole reply is generated, so keep this above the longest expected generation.
    ///   - includeUsageInStream: send `stream_options.include_usage`; turn off for old servers that reject it
    ///     (usage is then estimated, see ``TokenMeter``).
    public init(
        name: String = "openai",
        baseURL: String,
        apiKey: String? = nil,
        defaultModel: String? = nil,
        httpClient: any HTTPClientSource,
        responseTimeout: Duration = .seconds(30),
        includeUsageInStream: Bool = true,
        logger: Logger = Logger(label: "parley.ai.chat")
    ) throws(ChatEndpoint.InvalidURL) {
        self.init(
            name: name,
            endpoint: try .openAICompatible(baseURL: baseURL, apiKey: apiKey),
            defaultModel: defaultModel,
            httpClient: httpClient,
            responseTimeout: responseTimeout,
            includeUsageInStream: includeUsageInStream,
            logger: logger
        )
    }

    /// Creates a provider for any endpoint that speaks Chat Completions.
    public init(
        name: String,
        endpoint: ChatEndpoint,
        defaultModel: String? = nil,
        httpClient: any HTTPClientSource,
        responseTimeout: Duration = .seconds(30),
        includeUsageInStream: Bool = true,
        logger: Logger = Logger(label: "parley.ai.chat")
    ) {
        self.name = name
        self.transport = ChatCompletionsTransport(
            name: name,
            endpoint: endpoint,
            httpClient: httpClient,
            defaultModel: defaultModel,
            includeUsageInStream: includeUsageInStream,
            responseTimeout: responseTimeout,
            logger: logger
        )
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await transport.complete(request)
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        transport.stream(request)
    }
}

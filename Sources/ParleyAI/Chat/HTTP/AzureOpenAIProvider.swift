import AsyncHTTPClient
import Logging

/// A provider for an Azure OpenAI deployment: the Chat Completions wire format at
/// `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`, authenticated with `api-key`.
public struct AzureOpenAIProvider: ChatProvider {
    public let name: String
    private let transport: ChatCompletionsTransport

    /// The URL requests go to (no secrets in it).
    public var endpointURL: String { transport.endpoint.url }

    /// Creates a provider for one Azure OpenAI deployment.
    ///
    /// - Parameters:
    ///   - endpoint: the resource endpoint, such as `https://my-resource.openai.azure.com`.
    ///   - deployment: the deployment, which selects the model.
    ///   - apiVersion: the data-plane API version.
    ///   - apiKey: sent in the `api-key` header.
    ///   - httpClient: the shared client (see ``OpenAICompatibleProvider`` for the timeouts).
    public init(
        name: String = "azure-openai",
        endpoint: String,
        deployment: String,
        apiVersion: String = "2024-10-21",
        apiKey: String,
        httpClient: any HTTPClientSource,
        responseTimeout: Duration = .seconds(30),
        includeUsageInStream: Bool = true,
        logger: Logger = Logger(label: "parley.ai.chat")
    ) throws(ChatEndpoint.InvalidURL) {
        self.name = name
        self.transport = ChatCompletionsTransport(
            name: name,
            endpoint: try .azureOpenAI(
                endpoint: endpoint, deployment: deployment, apiVersion: apiVersion, apiKey: apiKey),
            httpClient: httpClient,
            defaultModel: nil,
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

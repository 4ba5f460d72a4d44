/// A chat-completion model behind one interface: a remote API, a local server, or a resilience wrapper around either.
///
/// Implementations throw (and end streams with) ``ProviderError``. A stream is cancelled, and its HTTP request
/// with it, when the consumer stops iterating or its task is cancelled.
public protocol ChatProvider: Sendable {
    /// A short name for traces, metrics and errors (for example `"openai"` or `"azure-eu"`). Never a secret.
    var name: String { get }

    /// Sends the request and returns the whole reply.
    func complete(_ request: ChatRequest) async throws -> ChatResponse

    /// Sends the request and yields the reply as it is generated.
    func stream(_ request: ChatRequest) -> ChatEventStream
}

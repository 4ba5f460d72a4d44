/// Tries providers in order; the first that succeeds answers.
///
/// A stream moves on to the next provider only while nothing has been yielded: once the visitor has seen text, a
/// failure ends the stream (mixing two models' words in one reply would be worse). When every provider fails, the
/// error is ``ProviderError/allProvidersFailed(_:)`` listing each failure in order. Cancellation stops the list.
public struct FallbackChatProvider: ChatProvider {
    /// The providers, most preferred first.
    public let providers: [any ChatProvider]

    /// The names of the providers joined by `>`, such as `openai>azure-eu`.
    public var name: String { providers.map(\.name).joined(separator: ">") }

    /// Creates a fallback list; `providers` must not be empty.
    public init(_ providers: [any ChatProvider]) {
        precondition(!providers.isEmpty, "a fallback list needs at least one provider")
        self.providers = providers
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        var failures: [ProviderFailure] = []
        for provider in providers {
            do {
                return try await provider.complete(request)
            } catch {
                let failure = ProviderError(wrapping: error)
                if failure == .cancelled || Task.isCancelled { throw ProviderError.cancelled }
                failures.append(ProviderFailure(provider: provider.name, error: failure))
            }
        }
        throw ProviderError.allProvidersFailed(failures)
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        let providers = providers
        return ChatEventStream {
            var index = 0
            var failures: [ProviderFailure] = []
            return RestartingCursor(start: { providers[0].stream(request) }) { failure in
                if failure == .cancelled || Task.isCancelled { throw ProviderError.cancelled }
                failures.append(ProviderFailure(provider: providers[index].name, error: failure))
                index += 1
                guard index < providers.count else { throw ProviderError.allProvidersFailed(failures) }
                return providers[index].stream(request)
            }
        }
    }
}

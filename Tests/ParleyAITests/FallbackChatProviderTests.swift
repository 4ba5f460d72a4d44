import Testing

@testable import ParleyAI

@Suite struct FallbackChatProviderTests {
    @Test func theSecondaryAnswersWhenThePrimaryFails() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.defaultReply = .error(status: 503, message: "overloaded")
                secondary.enqueue(.completion("from secondary"), .stream(["sec", "ondary"]))
                let fallback = FallbackChatProvider([
                    try provider(primary, client, name: "primary"), try provider(secondary, client, name: "secondary"),
                ])
                #expect(fallback.name == "primary>secondary")
                #expect(try await fallback.complete(hello).text == "from secondary")
                let (events, error) = await drain(fallback.stream(hello))
                #expect(error == nil)
                #expect(text(of: events) == "secondary")
                #expect(primary.received.count == 2)
            }
        }
    }

    @Test func aStreamThatAlreadySpokeDoesNotFallBack() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.enqueue(.stream(["partial", " answer"], abortAfterTokens: 1))
                secondary.defaultReply = .stream(["should not be used"])
                let fallback = FallbackChatProvider([
                    try provider(primary, client, name: "primary"), try provider(secondary, client, name: "secondary"),
                ])
                let (events, error) = await drain(fallback.stream(hello))
                #expect(text(of: events) == "partial")
                #expect(error == .truncatedStream)
                #expect(secondary.received.isEmpty)
            }
        }
    }

    @Test func listsEveryFailureWhenAllFail() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.defaultReply = .error(status: 500, message: "a")
                secondary.defaultReply = .raw(contentType: "application/json", "{")
                let fallback = FallbackChatProvider([
                    try provider(primary, client, name: "primary"), try provider(secondary, client, name: "secondary"),
                ])
                await #expect(
                    throws: ProviderError.allProvidersFailed([
                        ProviderFailure(
                            provider: "primary",
                            error: .http(status: 500, retryAfter: nil, bodyExcerpt: "server_error: a")),
                        ProviderFailure(
                            provider: "secondary", error: .malformedResponse("response is not a chat.completion object")
                        ),
                    ])
                ) { try await fallback.complete(hello) }
            }
        }
    }

    @Test func skipsAProviderWhoseBreakerIsOpen() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.defaultReply = .error(status: 500, message: "down")
                secondary.defaultReply = .completion("steady")
                let breaker = CircuitBreaker(name: "primary", failureThreshold: 2, coolDown: .seconds(60))
                let fallback = FallbackChatProvider([
                    try provider(primary, client, name: "primary").guarded(by: breaker),
                    try provider(secondary, client, name: "secondary"),
                ])
                for _ in 0..<6 { #expect(try await fallback.complete(hello).text == "steady") }
                #expect(primary.received.count == 2)
                #expect(secondary.received.count == 6)
            }
        }
    }
}

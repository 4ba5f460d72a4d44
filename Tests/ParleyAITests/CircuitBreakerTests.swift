import Testing

@testable import ParleyAI

@Suite struct CircuitBreakerTests {
    private let fault = ProviderError.http(status: 500, retryAfter: nil, bodyExcerpt: "")

    @Test func opensAfterTheThresholdAndHalfOpensAfterTheCoolDown() throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(name: "p", failureThreshold: 3, coolDown: .seconds(30), now: { clock.now })
        for failures in 1...3 {
            breaker.recordFailure(try breaker.acquire(), error: fault)
            #expect(breaker.status == (failures < 3 ? .closed(consecutiveFailures: failures) : .open))
        }
        clock.advance(by: .seconds(10))
        #expect(throws: ProviderError.circuitOpen(provider: "p", retryIn: .seconds(20))) { try breaker.acquire() }

        clock.advance(by: .seconds(20))
        #expect(breaker.status == .halfOpen)
        let probe = try breaker.acquire()
        #expect(probe.isProbe)
        // Only one probe at a time.
        #expect(throws: ProviderError.circuitOpen(provider: "p", retryIn: .zero)) { try breaker.acquire() }
        breaker.recordSuccess(probe)
        #expect(breaker.status == .closed(consecutiveFailures: 0))
    }

    @Test func aFailedProbeOpensAgain() throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker(name: "p", failureThreshold: 1, coolDown: .seconds(5), now: { clock.now })
        breaker.recordFailure(try breaker.acquire(), error: fault)
        clock.advance(by: .seconds(5))
        breaker.recordFailure(try breaker.acquire(), error: .timeout(.read))
        #expect(breaker.status == .open)
        clock.advance(by: .seconds(4))
        #expect(throws: ProviderError.self) { try breaker.acquire() }
    }

    @Test func clientErrorsAndCancellationsDoNotCount() throws {
        let breaker = CircuitBreaker(name: "p", failureThreshold: 2)
        breaker.recordFailure(try breaker.acquire(), error: fault)
        breaker.recordFailure(try breaker.acquire(), error: .http(status: 400, retryAfter: nil, bodyExcerpt: ""))
        breaker.recordFailure(try breaker.acquire(), error: .cancelled)
        #expect(breaker.status == .closed(consecutiveFailures: 1))
        breaker.recordSuccess(try breaker.acquire())
        #expect(breaker.status == .closed(consecutiveFailures: 0))
    }

    @Test func stopsCallingAFailingServerAndProbesAfterTheCoolDown() async throws {
        try await withFakeServer { server, client in
            server.defaultReply = .error(status: 500, message: "down")
            let clock = ManualClock()
            let breaker = CircuitBreaker(name: "fake", failureThreshold: 3, coolDown: .seconds(30), now: { clock.now })
            let guarded = CircuitBreakerChatProvider(try provider(server, client), breaker: breaker)
            for _ in 0..<3 { await #expect(throws: ProviderError.self) { try await guarded.complete(hello) } }
            #expect(server.received.count == 3)

            for _ in 0..<5 {
                await #expect(throws: ProviderError.circuitOpen(provider: "fake", retryIn: .seconds(30))) {
                    try await guarded.complete(hello)
                }
                let (_, streamError) = await drain(guarded.stream(hello))
                #expect(streamError == .circuitOpen(provider: "fake", retryIn: .seconds(30)))
            }
            #expect(server.received.count == 3, "an open breaker must not send requests")

            clock.advance(by: .seconds(30))
            server.defaultReply = .stream(["back"])
            let (events, error) = await drain(guarded.stream(hello))
            #expect(error == nil)
            #expect(text(of: events) == "back")
            #expect(breaker.status == .closed(consecutiveFailures: 0))
            #expect(server.received.count == 4)
        }
    }

    @Test("a streamed probe the consumer abandons mid-reply counts as neither, and lets the next probe try")
    func anAbandonedProbeFreesTheHalfOpenBreaker() async throws {
        try await withFakeServer { server, client in
            let clock = ManualClock()
            let breaker = CircuitBreaker(name: "fake", failureThreshold: 1, coolDown: .seconds(5), now: { clock.now })
            let guarded = CircuitBreakerChatProvider(try provider(server, client), breaker: breaker)
            breaker.recordFailure(try breaker.acquire(), error: fault)
            clock.advance(by: .seconds(5))
            server.defaultReply = .stream(["one ", "two ", "three"])
            do {
                var reading = guarded.stream(hello).makeAsyncIterator()
                let first = try await reading.next()
                #expect(first != nil)
                #expect(throws: ProviderError.circuitOpen(provider: "fake", retryIn: .zero)) {
                    try breaker.acquire()
                }
            }
            // The reader is gone: the probe's permit went back unjudged.
            #expect(breaker.status == .halfOpen)
            let (events, error) = await drain(guarded.stream(hello))
            #expect(error == nil)
            #expect(text(of: events) == "one two three")
            #expect(breaker.status == .closed(consecutiveFailures: 0))
        }
    }
}

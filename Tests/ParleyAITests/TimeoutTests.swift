import Dispatch
import Testing

@testable import ParleyAI

@Suite struct TimeoutTests {
    /// An upper bound that tells a deadline that fired from a hang, not a speed: the fakes here hang for ever (or
    /// answer after 20 s, without the deadline error), and a parallel run on a busy two-core host has taken 12 s to
    /// resume a caller whose deadline was 1.5 s.
    static let noHang = Duration.seconds(60)

    @Test func firstTokenTimeoutFiresEvenAfterTheHeadArrived() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.stream(["slow"], firstTokenDelay: .seconds(30)))
            let limited = try provider(server, client).firstTokenTimeout(.milliseconds(300))
            let ((events, error), elapsed) = await timed { await drain(limited.stream(hello)) }
            #expect(error == .firstTokenTimeout(.milliseconds(300)))
            #expect(text(of: events).isEmpty)
            #expect(elapsed >= .milliseconds(300))
            #expect(elapsed < Self.noHang)
        }
    }

    @Test func theOverallDeadlineEndsAHungTurnWithinBudget() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.defaultReply = .hang
                secondary.defaultReply = .hang
                let turn = FallbackChatProvider([
                    try provider(primary, client, name: "primary").retrying(),
                    try provider(secondary, client, name: "secondary").retrying(),
                ]).deadline(.milliseconds(1500))
                let (result, elapsed) = await timed { await Result { try await turn.complete(hello) } }
                #expect(throws: ProviderError.deadlineExceeded(.milliseconds(1500))) { try result.get() }
                #expect(elapsed >= .milliseconds(1500))
                #expect(elapsed < Self.noHang)

                let ((events, streamError), streamElapsed) = await timed { await drain(turn.stream(hello)) }
                #expect(events.isEmpty)
                #expect(streamError == .deadlineExceeded(.milliseconds(1500)))
                #expect(streamElapsed >= .milliseconds(1500))
                #expect(streamElapsed < Self.noHang)
            }
        }
    }

    /// The stubborn provider answers after 20 s whatever happens; the deadline error must come long before.
    @Test func theDeadlineHoldsEvenWhenAProviderIgnoresCancellation() async throws {
        let stubborn = StubbornProvider()
        let turn = stubborn.deadline(.milliseconds(300))
        let (result, elapsed) = await timed { await Result { try await turn.complete(hello) } }
        #expect(throws: ProviderError.deadlineExceeded(.milliseconds(300))) { try result.get() }
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < Self.noHang)
        let ((_, streamError), streamElapsed) = await timed { await drain(turn.stream(hello)) }
        #expect(streamError == .deadlineExceeded(.milliseconds(300)))
        #expect(streamElapsed >= .milliseconds(300))
        #expect(streamElapsed < Self.noHang)
    }

    /// The whole production chain against a rate-limited primary and a hung secondary: the visitor gets an error
    /// to hand off on, not a hang. (That the deadline fires on time, starved pool or not, is proven off the pool by
    /// ``PoolSensitiveTests``; here the caller's own resumption may wait for a busy cooperative pool.)
    @Test func aFullChainGivesUpWithinThreeSeconds() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.defaultReply = .error(status: 429, message: "quota", headers: [("Retry-After", "1")])
                secondary.defaultReply = .stream(["never"], firstTokenDelay: .seconds(30))
                let chain = FallbackChatProvider([
                    try provider(primary, client, name: "primary")
                        .firstTokenTimeout(.seconds(2))
                        .guarded(by: CircuitBreaker(name: "primary"))
                        .retrying(),
                    try provider(secondary, client, name: "secondary")
                        .firstTokenTimeout(.seconds(2))
                        .guarded(by: CircuitBreaker(name: "secondary"))
                        .retrying(),
                ]).deadline(.seconds(3))
                let ((events, error), elapsed) = await timed { await drain(chain.stream(hello)) }
                #expect(events.isEmpty)
                #expect(error == .deadlineExceeded(.seconds(3)) || error.map { "\($0)" }?.hasPrefix("every") == true)
                #expect(elapsed < Self.noHang)
            }
        }
    }
}

/// A provider that never answers and ignores cancellation.
private struct StubbornProvider: ChatProvider {
    let name = "stubborn"

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + 20) { continuation.resume() }
        }
        return ChatResponse(text: "too late", finishReason: .stop, usage: nil)
    }

    func stream(_ request: ChatRequest) -> ChatEventStream {
        ChatEventStream(
            AsyncThrowingStream { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
                    continuation.yield(.delta("too late"))
                    continuation.finish()
                }
            })
    }
}

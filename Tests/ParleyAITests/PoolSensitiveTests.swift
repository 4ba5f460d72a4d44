import Foundation
import Synchronization
import Testing

@testable import ParleyAI

/// Tests whose outcome depends on the cooperative thread pool: the test that saturates it on purpose, and the
/// tests that need a stream relay to see the first text before a first-token limit fires.
///
/// Serialized so that the saturation never holds up one of those relays (a first-token limit counts the time text
/// waits for a cooperative thread, as the visitor does). Tests in other suites may run during the saturation, so
/// every timing bound elsewhere leaves seconds of room.
@Suite(.serialized) struct PoolSensitiveTests {
    /// Every time limit fires on time while CPU-bound work holds every cooperative thread, as when a synchronous
    /// embedder or a Lua CPU-limit test computes in the same process.
    ///
    /// The limit has to fire, cancel the timed-out work (and with it the HTTP request) and hand the error to the
    /// caller on time; the caller itself runs again only once a cooperative thread is free. Each provider notes
    /// when it was cancelled, from whichever thread cancelled it, so the test sees the timers without a
    /// cooperative thread.
    @Test(.timeLimit(.minutes(1)))
    func timeLimitsFireWhileCPUBoundWorkHoldsEveryCooperativeThread() async throws {
        let timeline = Timeline()
        let limit = Duration.milliseconds(200)
        let retryDeadline = Duration.milliseconds(600)
        let noJitter = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(300), jitter: 0)

        // Each call waits in its provider until it is cancelled; the provider notes when that happened.
        let complete = Task {
            await Result { try await WaitingProvider("complete", timeline).deadline(limit).complete(hello) }
        }
        let deadlineStream = Task {
            await drain(WaitingProvider("deadline stream", timeline).deadline(limit).stream(hello))
        }
        let firstToken = Task {
            await drain(WaitingProvider("first token", timeline).firstTokenTimeout(limit).stream(hello))
        }
        // Fails once, then backs off for 300 ms: the pause ends inside the starvation, before the 600 ms deadline.
        let retry = Task {
            await Result {
                try await FailsOnceProvider(timeline).retrying(noJitter).deadline(retryDeadline).complete(hello)
            }
        }
        try await timeline.wait(for: [
            "complete started", "deadline stream started", "first token started", "retry attempt 1",
        ])

        let hogs = CPUHog.saturate(for: .milliseconds(1500), timeline: timeline)
        // Asked for while no cooperative thread is free: its relay gets a thread only after the limit, and must not
        // then start the provider's stream (and its request) for a consumer that already has the error.
        let lateStream = WaitingProvider("late stream", timeline).deadline(limit).stream(hello)
        let (completeResult, (_, deadlineStreamError), (firstTokenEvents, firstTokenError), retryResult) =
            await (complete.value, deadlineStream.value, firstToken.value, retry.value)
        let (_, lateStreamError) = await drain(lateStream)
        for hog in hogs { await hog.value }
        try await Task.sleep(for: .milliseconds(200))  // lets a late retry attempt show, if there is one

        // The pool really was saturated from before the first limit until after the bound checked below.
        for core in 0..<ProcessInfo.processInfo.activeProcessorCount {
            let started = try #require(timeline.elapsed("hog \(core) started"))
            try #require(started < limit, "the setup was too slow to saturate the pool in time")
        }
        let poolFree = try #require(timeline.elapsed("pool free"))
        try #require(poolFree > .milliseconds(1200), "the cooperative pool was not saturated")

        // Every limit fired and cancelled its work on time, without a cooperative thread.
        for call in ["complete", "deadline stream", "first token"] {
            let cancelled = try #require(timeline.elapsed("\(call) cancelled"), "\(call) was never cancelled")
            #expect(cancelled >= limit, "\(call)")
            #expect(cancelled < .milliseconds(1200), "\(call) was cancelled after \(cancelled)")
        }
        // The callers got the right errors once a thread was free.
        #expect(throws: ProviderError.deadlineExceeded(limit)) { try completeResult.get() }
        #expect(deadlineStreamError == .deadlineExceeded(limit))
        #expect(firstTokenEvents.isEmpty)
        #expect(firstTokenError == .firstTokenTimeout(limit))
        #expect(lateStreamError == .deadlineExceeded(limit))
        #expect(timeline.elapsed("late stream started") == nil, "a timed-out stream started its request late")
        // The backoff woke late, after the deadline, and did not start another attempt.
        #expect(throws: ProviderError.deadlineExceeded(retryDeadline)) { try retryResult.get() }
        #expect(timeline.elapsed("retry attempt 2") == nil, "a retry started after the deadline")
    }

    @Test func firstTokenTimeoutDoesNotCutAStreamThatStarted() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.stream(["quick", " then slow"], interTokenDelay: .milliseconds(1500)))
            let limited = try provider(server, client).firstTokenTimeout(.seconds(1))
            let (events, error) = await drain(limited.stream(hello))
            #expect(error == nil)
            #expect(text(of: events) == "quick then slow")
        }
    }

    @Test func aSlowFirstTokenFallsBackToTheSecondary() async throws {
        try await withFakeServer { primary, client in
            try await FakeOpenAIServer.with { secondary in
                primary.enqueue(.stream(["slow"], firstTokenDelay: .seconds(30)))
                secondary.enqueue(.stream(["fast"]))
                let fallback = FallbackChatProvider([
                    try provider(primary, client, name: "primary").firstTokenTimeout(.milliseconds(300)),
                    try provider(secondary, client, name: "secondary").firstTokenTimeout(.seconds(2)),
                ])
                let ((events, error), elapsed) = await timed { await drain(fallback.stream(hello)) }
                #expect(error == nil)
                #expect(text(of: events) == "fast")
                #expect(elapsed >= .milliseconds(300))
                #expect(elapsed < .seconds(5))
            }
        }
    }
}

/// A provider that waits until it is cancelled, noting `"<name> started"` and `"<name> cancelled"`.
private struct WaitingProvider: ChatProvider {
    let name: String
    let timeline: Timeline

    init(_ name: String, _ timeline: Timeline) {
        self.name = name
        self.timeline = timeline
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        timeline.mark("\(name) started")
        try await waitForCancellation(noting: "\(name) cancelled", on: timeline)
        throw ProviderError.cancelled
    }

    func stream(_ request: ChatRequest) -> ChatEventStream {
        let name = name
        let timeline = timeline
        return ChatEventStream(
            AsyncThrowingStream { continuation in
                timeline.mark("\(name) started")
                continuation.onTermination = { _ in timeline.mark("\(name) cancelled") }
            })
    }
}

/// A provider whose first call fails with a retryable 503 and whose later calls wait until cancelled; notes
/// `"retry attempt <n>"`.
private final class FailsOnceProvider: ChatProvider {
    let name = "fails once"
    private let timeline: Timeline
    private let attempts = Mutex(0)

    init(_ timeline: Timeline) {
        self.timeline = timeline
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let attempt = attempts.withLock { attempts in
            attempts += 1
            return attempts
        }
        timeline.mark("retry attempt \(attempt)")
        if attempt == 1 { throw ProviderError.http(status: 503, retryAfter: nil, bodyExcerpt: "busy") }
        try await waitForCancellation(noting: "retry attempt \(attempt) cancelled", on: timeline)
        throw ProviderError.cancelled
    }

    func stream(_ request: ChatRequest) -> ChatEventStream {
        ChatEventStream(AsyncThrowingStream { $0.finish(throwing: ProviderError.streamError("not used")) })
    }
}

/// Waits up to a minute for the current task to be cancelled, noting `event` from the cancelling thread.
private func waitForCancellation(noting event: String, on timeline: Timeline) async throws {
    try await withTaskCancellationHandler {
        try await Task.sleep(for: .seconds(60))
    } onCancel: {
        timeline.mark(event)
    }
}

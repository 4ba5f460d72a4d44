import Foundation
import Synchronization
import Testing

@testable import ParleyAI

@Suite struct RetryingChatProviderTests {
    private let noJitter = RetryPolicy(
        maxAttempts: 3, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1), jitter: 0)

    @Test func backsOffExponentiallyWithJitterAndACap() {
        let policy = RetryPolicy(
            maxAttempts: 6, initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500), jitter: 0.5)
        let error = ProviderError.http(status: 503, retryAfter: nil, bodyExcerpt: "")
        #expect(policy.delay(after: error, attempt: 1, random: 0) == .milliseconds(100))
        #expect(policy.delay(after: error, attempt: 2, random: 0) == .milliseconds(200))
        #expect(policy.delay(after: error, attempt: 4, random: 0) == .milliseconds(500))
        #expect(policy.delay(after: error, attempt: 2, random: 1) == .milliseconds(100))
        #expect(policy.delay(after: error, attempt: 6, random: 0) == nil)
        #expect(policy.delay(after: .http(status: 400, retryAfter: nil, bodyExcerpt: ""), attempt: 1, random: 0) == nil)
    }

    @Test func retries5xxUntilSuccess() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .error(status: 500, message: "boom"), .error(status: 503, message: "busy"), .completion("third time"))
            let pauses = PauseRecorder()
            let retrying = RetryingChatProvider(try provider(server, client), policy: noJitter, sleep: pauses.sleep)
            #expect(try await retrying.complete(hello).text == "third time")
            #expect(server.received.count == 3)
            #expect(pauses.recorded == [.milliseconds(100), .milliseconds(200)])
        }
    }

    @Test func honoursRetryAfterSecondsForReal() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .error(status: 429, message: "slow down", headers: [("Retry-After", "1")]), .completion("ok"))
            let retrying = RetryingChatProvider(try provider(server, client), policy: noJitter)
            let (response, elapsed) = try await timed { try await retrying.complete(hello) }
            #expect(response.text == "ok")
            #expect(server.received.count == 2)
            #expect(elapsed >= .seconds(1))
            // Ended, not hung: a busy parallel run has taken 11 s to resume this caller after its 1 s pause.
            #expect(elapsed < .seconds(60))
        }
    }

    @Test func honoursRetryAfterHTTPDates() async throws {
        try await withFakeServer { server, client in
            // Far enough ahead that a test process busy elsewhere still parses it as a long pause.
            let inThirtySeconds = Date(timeIntervalSinceNow: 30.5)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            server.enqueue(
                .error(
                    status: 503, message: "maintenance",
                    headers: [("Retry-After", formatter.string(from: inThirtySeconds))]),
                .completion("back"))
            var policy = noJitter
            policy.maximumRetryAfter = .seconds(60)
            let pauses = PauseRecorder()
            let retrying = RetryingChatProvider(try provider(server, client), policy: policy, sleep: pauses.sleep)
            #expect(try await retrying.complete(hello).text == "back")
            let pause = try #require(pauses.recorded.first)
            #expect(pause > .seconds(20) && pause <= .seconds(31))
        }
    }

    @Test func givesUpAtOnceWhenRetryAfterExceedsTheCap() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.error(status: 429, message: "quota", headers: [("Retry-After", "120")]), .completion("no"))
            var policy = noJitter
            policy.maximumRetryAfter = .seconds(5)
            let pauses = PauseRecorder()
            let retrying = RetryingChatProvider(try provider(server, client), policy: policy, sleep: pauses.sleep)
            let result = await Result { try await retrying.complete(hello) }
            #expect(throws: ProviderError.self) { try result.get() }
            #expect(server.received.count == 1)
            // No pause was asked of the (recorded) clock: it gave up at once. A wall-clock bound here failed once
            // on a loaded CI machine (11 s for one loopback round trip) and proved nothing more.
            #expect(pauses.recorded.isEmpty)
        }
    }

    @Test func doesNotRetryClientErrors() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.error(status: 400, message: "bad", type: "invalid_request_error"), .completion("no"))
            let retrying = RetryingChatProvider(try provider(server, client), policy: noJitter)
            await #expect(throws: ProviderError.self) { try await retrying.complete(hello) }
            #expect(server.received.count == 1)
        }
    }

    @Test func retriesAStreamOnlyBeforeItsFirstEvent() async throws {
        try await withFakeServer { server, client in
            server.enqueue(
                .error(status: 502, message: "bad gateway"), .stream(["fine"]),
                .stream(["Hel", "lo"], abortAfterTokens: 1), .stream(["never"]))
            let pauses = PauseRecorder()
            let retrying = RetryingChatProvider(try provider(server, client), policy: noJitter, sleep: pauses.sleep)
            let (first, firstError) = await drain(retrying.stream(hello))
            #expect(firstError == nil)
            #expect(text(of: first) == "fine")
            #expect(server.received.count == 2)
            let (second, secondError) = await drain(retrying.stream(hello))
            #expect(text(of: second) == "Hel")
            #expect(secondError == .truncatedStream)
            #expect(server.received.count == 3)
        }
    }

    @Test func doesNotSleepPastTheTurnDeadline() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.error(status: 503, message: "busy", headers: [("Retry-After", "2")]), .completion("late"))
            let pauses = PauseRecorder()
            let retrying = RetryingChatProvider(try provider(server, client), policy: noJitter, sleep: pauses.sleep)
            let deadline = ContinuousClock.now + .seconds(1)
            let result = await ChatDeadline.$current.withValue(deadline) {
                await Result { try await retrying.complete(hello) }
            }
            #expect(throws: ProviderError.http(status: 503, retryAfter: .seconds(2), bodyExcerpt: "server_error: busy"))
            {
                try result.get()
            }
            #expect(pauses.recorded.isEmpty)
            #expect(server.received.count == 1)
        }
    }

    /// A pause that overruns the turn deadline (a sleeper that wakes late, as on a busy cooperative pool) ends at
    /// the deadline with the failure, and no attempt follows.
    @Test func aPauseThatOverrunsTheDeadlineEndsAtTheDeadline() async throws {
        try await withFakeServer { server, client in
            server.enqueue(.error(status: 503, message: "busy"), .completion("late"))
            let slept = Mutex(false)
            let retrying = RetryingChatProvider(
                try provider(server, client), policy: noJitter,
                sleep: { _ in
                    slept.withLock { $0 = true }
                    // Oversleeps and ignores cancellation.
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        DispatchQueue.global().asyncAfter(deadline: .now() + 20) { continuation.resume() }
                    }
                })
            let (result, elapsed) = await timed {
                await ChatDeadline.$current.withValue(.now + .milliseconds(500)) {
                    await Result { try await retrying.complete(hello) }
                }
            }
            #expect(throws: ProviderError.http(status: 503, retryAfter: nil, bodyExcerpt: "server_error: busy")) {
                try result.get()
            }
            // On a loaded machine the first attempt can take so long that the pause would overrun the deadline and is
            // not taken at all; when it was taken, it ended at the deadline, not when the sleeper woke.
            if slept.withLock({ $0 }) { #expect(elapsed >= .milliseconds(500)) }
            #expect(elapsed < .seconds(15))
            #expect(server.received.count == 1)
        }
    }
}

extension Result where Failure == any Error {
    /// Captures the outcome of an async throwing call.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

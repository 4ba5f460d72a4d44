import Synchronization

/// Relays a chat stream and ends it with an error when its first text or its end comes too late.
///
/// The consumer sees the error at the deadline even if the underlying stream ignores cancellation; the underlying
/// stream is then cancelled, which cancels its HTTP request. The deadlines are ``DeadlineTimer``s on an event
/// loop thread, so they end the stream and cancel the request on time even when CPU-bound work holds every
/// cooperative thread.
enum StreamTimeLimit {
    static func relay(
        _ makeBase: @escaping @Sendable () -> ChatEventStream,
        firstDeltaBy firstDeadline: (ContinuousClock.Instant, ProviderError)?,
        endBy endDeadline: (ContinuousClock.Instant, ProviderError)?
    ) -> ChatEventStream {
        let (stream, continuation) = AsyncThrowingStream<ChatStreamEvent, any Error>.makeStream()
        let firstDelta = FirstDelta()
        let teardown = Teardown()
        // Set first: a timer may end the stream before this function returns.
        continuation.onTermination = { _ in teardown.run() }
        let relay = Task {
            // Cancelled before it started (a limit passed while no cooperative thread was free): the stream has
            // ended, so the underlying stream and its request are not started at all.
            guard !Task.isCancelled else { return continuation.finish(throwing: ProviderError.cancelled) }
            do {
                for try await event in makeBase() {
                    // Once the first-token limit has ended the stream, late text is dropped.
                    if case .delta = event, !firstDelta.claimForText() { return }
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: ProviderError(wrapping: error))
            }
        }
        teardown.add { relay.cancel() }
        if let (instant, error) = firstDeadline {
            let timer = DeadlineTimer(at: instant) {
                guard firstDelta.claimForTimeout() else { return }
                continuation.finish(throwing: error)
                teardown.run()
            }
            teardown.add { timer.cancel() }
        }
        if let (instant, error) = endDeadline {
            let timer = DeadlineTimer(at: instant) {
                continuation.finish(throwing: error)
                teardown.run()
            }
            teardown.add { timer.cancel() }
        }
        return ChatEventStream(stream)
    }
}

/// Decides, once, whether the first text or the first-token limit came first.
private final class FirstDelta: Sendable {
    private enum State {
        case waiting
        case text
        case timedOut
    }

    private let state = Mutex(State.waiting)

    /// Claims the race for the relay; `false` when the limit already ended the stream.
    func claimForText() -> Bool {
        state.withLock { state in
            switch state {
            case .waiting, .text:
                state = .text
                return true
            case .timedOut:
                return false
            }
        }
    }

    /// Claims the race for the timer; `false` when text already went through.
    func claimForTimeout() -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return false }
            state = .timedOut
            return true
        }
    }
}

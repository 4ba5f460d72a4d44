import NIOCore
import NIOPosix

/// A one-shot timer that fires on a NIO event loop thread, never on Swift's cooperative thread pool.
///
/// Deadlines must hold while CPU-bound work (an embedder computing synchronously, a Lua script at its CPU limit)
/// occupies every cooperative thread. A timer made of `Task.sleep` wakes on time but then needs a free
/// cooperative thread to run the code after the sleep, so with the pool saturated it fires, cancels the timed-out
/// work and reports the timeout only when that work is done: seconds late. An event loop thread is an ordinary
/// thread that the kernel schedules whatever the pool is doing, so the handler runs on time. Handlers only resume
/// continuations, finish streams and cancel tasks (whose cancellation handlers run right there, cancelling HTTP
/// requests on their event loops), none of which waits for a cooperative thread; the caller resumed by a handler
/// still needs one to run, but it has the timeout in hand as soon as it does.
struct DeadlineTimer: Sendable {
    private let scheduled: Scheduled<Void>

    /// Schedules `handler` to run at `deadline`, or at once when the deadline has passed.
    ///
    /// The handler runs on an event loop thread that also serves network I/O: it must be short and must not block.
    init(at deadline: ContinuousClock.Instant, _ handler: @escaping @Sendable () -> Void) {
        let delay = max(ContinuousClock.now.duration(to: deadline), .zero)
        scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(delay), handler)
    }

    /// Stops the timer unless its handler has already started.
    func cancel() {
        scheduled.cancel()
    }
}

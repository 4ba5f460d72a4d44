import Synchronization

/// The frames waiting to go out on one live connection, with a ceiling on the bytes they may hold.
///
/// A client that stops reading leaves its frames here: the connection's writer waits on the socket, and turns,
/// live events and answers to the client's own frames keep arriving. Past `limit` bytes the queue takes nothing
/// more and reports an overflow, on which the connection is dropped; the widget reconnects and resyncs, so the
/// dropped frames lose nothing that is stored. One frame larger than `limit` is taken when nothing else waits.
final class OutgoingFrames: Sendable {
    /// The rendered frames, in order, for the connection's one writer.
    let frames: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let overflowSignal: AsyncStream<Never>
    private let overflowContinuation: AsyncStream<Never>.Continuation
    private let limit: Int
    private let state = Mutex(State())

    private struct State {
        var queuedBytes = 0
        var overflowed = false
    }

    /// A queue that holds at most `limit` bytes of frames not yet written.
    init(limit: Int) {
        self.limit = limit
        (frames, continuation) = AsyncStream.makeStream()
        (overflowSignal, overflowContinuation) = AsyncStream.makeStream()
    }

    /// Queues `frame`; returns false, and reports the overflow, when the queue is full.
    @discardableResult
    func send(_ frame: LiveFrame) -> Bool {
        let json = frame.json
        let accepted = state.withLock { state -> Bool in
            guard !state.overflowed else { return false }
            // A frame always fits an empty queue: one large history must not drop a visitor who reads.
            guard state.queuedBytes == 0 || state.queuedBytes + json.utf8.count <= limit else {
                state.overflowed = true
                return false
            }
            state.queuedBytes += json.utf8.count
            return true
        }
        guard accepted else {
            overflowContinuation.finish()
            continuation.finish()
            return false
        }
        continuation.yield(json)
        return true
    }

    /// Tells the queue that `json`, taken from `frames`, has been written.
    func written(_ json: String) {
        state.withLock { $0.queuedBytes -= json.utf8.count }
    }

    /// Whether the queue has overflowed.
    var hasOverflowed: Bool { state.withLock { $0.overflowed } }

    /// Whether every frame sent so far has been written.
    var isEmpty: Bool { state.withLock { $0.queuedBytes == 0 } }

    /// Returns once the queue has overflowed (never, if it does not).
    func overflowed() async {
        for await _ in overflowSignal {}
    }

    /// Ends `frames` after what is queued, and the wait for an overflow.
    func finish() {
        continuation.finish()
        overflowContinuation.finish()
    }
}

import Synchronization

/// Named instants, noted from any thread (a NIO event loop, a cancellation handler, a busy task) and read by a
/// test afterwards, so that a test can tell when something happened without a cooperative thread to observe it.
final class Timeline: Sendable {
    /// The instant the timeline was made; ``elapsed(_:)`` counts from it.
    let start = ContinuousClock.now
    private let marks = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Notes that `event` happened now; a later note of the same event is ignored.
    func mark(_ event: String) {
        let now = ContinuousClock.now
        marks.withLock { marks in
            if marks[event] == nil { marks[event] = now }
        }
    }

    /// The time from ``start`` to `event`, or `nil` when it has not happened.
    func elapsed(_ event: String) -> Duration? {
        marks.withLock { $0[event] }.map { start.duration(to: $0) }
    }

    /// Waits until every event in `events` has happened, polling; throws after `limit`.
    func wait(for events: [String], limit: Duration = .seconds(10)) async throws {
        let giveUp = ContinuousClock.now + limit
        while events.contains(where: { elapsed($0) == nil }) {
            guard ContinuousClock.now < giveUp else { throw TimelineTimeout(events: events) }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

/// ``Timeline/wait(for:limit:)`` gave up.
struct TimelineTimeout: Error, CustomStringConvertible {
    var events: [String]
    var description: String { "timed out waiting for \(events)" }
}

import Foundation

/// One slot per worker for the results of a `concurrentPerform`, guarded by a lock.
///
/// Each slot is written by one worker and read after all workers finished; the lock makes that hand-over explicit.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[[Float]]]

    /// Creates `count` empty slots.
    init(count: Int) {
        slots = Array(repeating: [], count: count)
    }

    /// Puts `value` in slot `index`.
    func store(_ value: [[Float]], at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    /// The value in slot `index`.
    func value(at index: Int) -> [[Float]] {
        lock.lock()
        defer { lock.unlock() }
        return slots[index]
    }
}

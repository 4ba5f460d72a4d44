import Foundation

/// CPU-bound work that holds cooperative threads without ever suspending, the way a synchronous embedder or a Lua
/// CPU-limit test does when it runs in the same test process.
enum CPUHog {
    /// Starts enough busy tasks to hold every cooperative thread of the caller's priority for about twice
    /// `duration` (two tasks per core), then a probe task queued behind them.
    ///
    /// The tasks inherit the caller's priority, so they starve exactly the threads that the caller's own child
    /// tasks would need. The timeline gets `"hog <n> started"` for each task and `"pool free"` when the probe runs.
    static func saturate(for duration: Duration, timeline: Timeline) -> [Task<Void, Never>] {
        let count = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        var tasks = (0..<count).map { index in
            Task {
                timeline.mark("hog \(index) started")
                spin(for: duration)
            }
        }
        tasks.append(Task { timeline.mark("pool free") })
        return tasks
    }

    /// Computes for `duration` without suspending.
    static func spin(for duration: Duration) {
        let end = ContinuousClock.now + duration
        var counter = 0
        while ContinuousClock.now < end { counter &+= 1 }
        precondition(counter != -1)
    }
}

import ParleyAI
import Synchronization

/// A ``RetryingChatProvider`` sleeper that records the pauses it was asked for and really sleeps a scaled-down
/// version of them.
final class PauseRecorder: Sendable {
    private let pauses = Mutex<[Duration]>([])

    /// The pauses requested so far.
    var recorded: [Duration] { pauses.withLock { $0 } }

    /// The sleeper to inject.
    var sleep: RetryingChatProvider.Sleeper {
        { duration in
            self.pauses.withLock { $0.append(duration) }
            try await Task.sleep(for: duration / 100)
        }
    }
}

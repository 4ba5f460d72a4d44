import ParleyUnderstanding
import Synchronization

/// The leakage detectors of the texts a stage protects, built once per text rather than once per reply.
///
/// A model's instructions change only with the tenant's settings, while cutting them into word runs costs a few
/// hundred microseconds: more than the rest of the output guard. Holds at most `capacity` entries and starts over
/// when full.
final class LeakageDetectors: Sendable {
    private let detectors = Mutex<[[String]: LeakageDetector]>([:])
    private let capacity: Int

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The detector protecting `texts`.
    func detector(protecting texts: [String]) -> LeakageDetector {
        if let known = detectors.withLock({ $0[texts] }) { return known }
        let made = LeakageDetector(protecting: texts)
        detectors.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[texts] = made
        }
        return made
    }
}

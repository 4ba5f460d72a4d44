import Foundation

/// An exponentially weighted running sentiment for one conversation.
///
/// Each new message score moves the trend by `weight` (`trend = (1 − weight) × trend + weight × score`); the first
/// message sets it. ``delta`` tells whether the conversation is getting better or worse.
public struct SentimentTrend: Sendable, Codable, Hashable {
    /// How much one message moves the trend, in (0, 1].
    public let weight: Double
    /// The current smoothed sentiment in [-1, 1] (0 before any message).
    public private(set) var value: Double
    /// The change of ``value`` caused by the latest message.
    public private(set) var delta: Double
    /// The number of messages seen.
    public private(set) var count: Int

    /// Creates an empty trend; `halfLife` is the number of messages after which a score's influence halves.
    public init(halfLife: Double = 3) {
        let life = max(0.5, halfLife)
        weight = 1 - Foundation.pow(0.5, 1 / life)
        value = 0
        delta = 0
        count = 0
    }

    /// Restores a trend from its stored value, last change and message count.
    public init(halfLife: Double = 3, value: Double, delta: Double, count: Int) {
        self.init(halfLife: halfLife)
        self.value = value.isFinite ? max(-1, min(1, value)) : 0
        self.delta = delta.isFinite ? delta : 0
        self.count = max(0, count)
    }

    /// Adds the score of the next message.
    public mutating func add(_ score: Double) {
        let clamped = score.isFinite ? max(-1, min(1, score)) : 0
        let previous = value
        value = count == 0 ? clamped : (1 - weight) * value + weight * clamped
        delta = value - previous
        count += 1
    }

    /// Whether the smoothed sentiment is below `threshold` (a cue to hand the chat to a human).
    public func isNegative(below threshold: Double = -0.3) -> Bool {
        count > 0 && value < threshold
    }
}

/// A conversation's running sentiment: the smoothed score so far and how many messages made it.
public struct SentimentTrendState: Sendable, Codable, Equatable {
    /// The smoothed sentiment in [-1, 1].
    public var value: Double
    /// The change the latest message made.
    public var delta: Double
    /// Messages scored so far.
    public var count: Int

    /// Makes a trend state.
    public init(value: Double, delta: Double, count: Int) {
        self.value = value
        self.delta = delta
        self.count = count
    }
}

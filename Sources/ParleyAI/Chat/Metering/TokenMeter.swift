/// Collects the text and usage of one chat call, streamed or not, and produces the usage to bill.
///
/// Feed it every ``ChatStreamEvent`` as it passes (or a whole ``ChatResponse``); ``usage`` is then the provider's
/// figures when it reported them, else a ``TokenEstimator`` estimate flagged as estimated.
public struct TokenMeter: Sendable {
    /// The request being metered.
    public let request: ChatRequest
    /// The reply text seen so far.
    public private(set) var text = ""
    /// The usage the provider reported, if any.
    public private(set) var reportedUsage: TokenUsage?
    /// The finish reason, once seen.
    public private(set) var finishReason: ChatFinishReason?

    /// Starts metering `request`.
    public init(request: ChatRequest) {
        self.request = request
    }

    /// Records one stream event.
    public mutating func record(_ event: ChatStreamEvent) {
        switch event {
        case .delta(let piece): text += piece
        case .usage(let usage): reportedUsage = usage
        case .finish(let reason): finishReason = reason
        }
    }

    /// Records a complete response.
    public mutating func record(_ response: ChatResponse) {
        text += response.text
        if let usage = response.usage { reportedUsage = usage }
        if let reason = response.finishReason { finishReason = reason }
    }

    /// The usage to bill: as reported, or estimated from the request and the text seen (also for a stream cut
    /// short, which the provider still bills).
    public var usage: TokenUsage {
        reportedUsage ?? TokenEstimator.usage(for: request, completion: text)
    }
}

/// The outcome of a successful call into a rule.
public struct LuaCallResult: Sendable, Equatable {
    /// The first value the function returned (`.nil` if none).
    public let value: LuaValue
    /// Lines written with `print` or `parley.log` during the call.
    public let log: [String]
    /// Instructions charged to the call, counted in hook ticks of 256 plus pattern-matching steps.
    public let instructions: UInt64
    /// Heap bytes held by the state after the call.
    public let memoryBytes: Int
    /// The line of the function's `return`, when the call asked for `traceReturnLine`.
    public let returnLine: Int?
}

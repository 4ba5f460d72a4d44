/// A value a rule returned that is not a valid decision, with the reason shown in the trace.
public struct InvalidDecision: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for example `escalate.priority must be an integer from 0 to 3`.
    public var message: String

    /// Makes an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

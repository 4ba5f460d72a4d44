/// A fixture file line that cannot be used, with the reason.
public struct InvalidFixture: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Makes an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

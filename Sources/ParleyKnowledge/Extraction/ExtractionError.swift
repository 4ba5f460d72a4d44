/// Why a file's text could not be read, in words an admin can act on.
public struct ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    /// Makes an error with a readable reason.
    public init(_ description: String) {
        self.description = description
    }
}

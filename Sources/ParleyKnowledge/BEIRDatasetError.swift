/// Why a BEIR file could not be loaded, with the file and 1-based line at fault.
public struct BEIRDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's name or path.
    public var file: String
    /// The 1-based line number, or `nil` for a fault of the whole file (such as a missing file).
    public var line: Int?
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, as compilers print it.
    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// Why a chain configuration was refused: every problem found, each tied to a position in the chain.
public struct ChainValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in chain order.
    public var problems: [Problem]

    /// One problem with one entry of a chain configuration.
    public struct Problem: Sendable, Equatable, Codable {
        /// The zero-based position of the entry, or nil for a problem with the chain as a whole.
        public var index: Int?
        /// The stage id of the entry.
        public var stage: String?
        /// What is wrong, in words an admin can act on.
        public var message: String

        /// Makes a problem.
        public init(index: Int?, stage: String?, message: String) {
            self.index = index
            self.stage = stage
            self.message = message
        }
    }

    public var description: String {
        problems.map { problem in
            let place = problem.index.map { "stages[\($0)]" } ?? "chain"
            return "\(place) (\(problem.stage ?? "-")): \(problem.message)"
        }.joined(separator: "; ")
    }
}

import LuaSandbox

/// Why a rule produced no decision: a Lua error, a broken limit, or a return value that is not a valid decision.
public struct RuleFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; the raw values are what fixtures name in `expect_error`.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The source does not compile.
        case syntax
        /// The rule raised an error.
        case runtime
        /// The call used up its instruction budget.
        case instructionLimit
        /// The state hit its memory cap.
        case memoryLimit
        /// The call ran past its deadline.
        case deadline
        /// The rule returned something that cannot leave Lua (a function, a cycle).
        case invalidResult
        /// The rule returned a table that is not a valid decision.
        case invalidDecision
        /// No sandbox could run the rule.
        case unavailable

        /// Whether the failure is a broken limit, which retires the state.
        public var isLimit: Bool { self == .instructionLimit || self == .memoryLimit || self == .deadline }
    }

    /// The kind of failure.
    public var kind: Kind
    /// The message, safe to show (no host paths or addresses).
    public var message: String
    /// The line in the rule, when known.
    public var line: Int?

    /// Makes a failure.
    public init(kind: Kind, message: String, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
    }

    /// Translates a sandbox error.
    init(_ error: LuaError) {
        let kind: Kind =
            switch error.kind {
            case .syntax: .syntax
            case .runtime, .invalidArgument, .undefinedFunction: .runtime
            case .instructionLimit: .instructionLimit
            case .memoryLimit: .memoryLimit
            case .deadline: .deadline
            case .invalidResult: .invalidResult
            case .unavailable: .unavailable
            }
        self.init(kind: kind, message: error.message, line: error.line)
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

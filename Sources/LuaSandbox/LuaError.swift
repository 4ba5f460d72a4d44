/// A failure of sandboxed Lua code or of the sandbox's use, safe to show in a trace.
///
/// Messages never contain host paths or addresses: chunks are named after their rule (for example
/// `rules/acme/escalation.lua`), and values are printed without addresses.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Codable {
        /// The rule source does not compile.
        case syntax
        /// The rule raised an error.
        case runtime
        /// The call used up its instruction budget.
        case instructionLimit
        /// The state hit its memory cap.
        case memoryLimit
        /// The call ran past its wall-clock deadline.
        case deadline
        /// The returned value cannot be brought back to Swift (a function, a cycle, too large).
        case invalidResult
        /// The host passed something invalid (foreign handle, bad name).
        case invalidArgument
        /// The rule does not define the function asked for.
        case undefinedFunction
        /// The sandbox cannot run code (it is poisoned, or a call is already running).
        case unavailable
    }

    /// What went wrong.
    public let kind: Kind
    /// The message, capped at `SandboxPolicy.maxMessageBytes`.
    public let message: String
    /// The rule the error happened in, when known.
    public let rule: String?
    /// The line in `rule`, parsed from the Lua message's `name:LINE:` prefix.
    public let line: Int?
    /// Log lines the call produced before it failed.
    public let log: [String]

    /// Creates an error, parsing the line from a `rule:LINE:` prefix of the message.
    public init(kind: Kind, message: String, rule: String? = nil, log: [String] = []) {
        self.kind = kind
        self.message = message
        self.rule = rule
        self.line = rule.flatMap { LuaError.line(in: message, rule: $0) }
        self.log = log
    }

    /// A one-line description such as `runtime: rules/acme/escalation.lua:12: boom`.
    public var description: String { "\(kind.rawValue): \(message)" }

    /// Whether the error is a broken limit (which always retires the state).
    public var isLimit: Bool { kind == .instructionLimit || kind == .memoryLimit || kind == .deadline }

    /// Parses `LINE` from a message that starts with `rule:LINE:`.
    static func line(in message: String, rule: String) -> Int? {
        let prefix = rule + ":"
        guard message.hasPrefix(prefix) else { return nil }
        let digits = message.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
        let rest = message.dropFirst(prefix.count + digits.count)
        guard !digits.isEmpty, rest.hasPrefix(":") else { return nil }
        return Int(digits)
    }
}

/// A value exchanged between Swift and sandboxed Lua code.
///
/// Lua tables become `.array` when their keys are exactly `1...n` and `.table` otherwise (numeric keys are
/// written in decimal, so `{[1] = "a", x = 1}` reads back as `["1": "a", "x": 1]`). An empty Lua table reads
/// back as `.table([:])`. Strings that are not valid UTF-8 are repaired with U+FFFD when read back.
public enum LuaValue: Sendable, Equatable, Hashable {
    case `nil`
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([LuaValue])
    case table([String: LuaValue])
}

extension LuaValue: ExpressibleByNilLiteral {
    /// Creates `.nil`.
    public init(nilLiteral: ()) {
        self = .nil
    }
}

extension LuaValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension LuaValue: ExpressibleByIntegerLiteral {
    /// Creates `.integer`.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension LuaValue: ExpressibleByFloatLiteral {
    /// Creates `.number`.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension LuaValue: ExpressibleByStringLiteral {
    /// Creates `.string`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension LuaValue: ExpressibleByArrayLiteral {
    /// Creates `.array`.
    public init(arrayLiteral elements: LuaValue...) {
        self = .array(elements)
    }
}

extension LuaValue: ExpressibleByDictionaryLiteral {
    /// Creates `.table`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .table(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

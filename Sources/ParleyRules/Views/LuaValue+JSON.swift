import LuaSandbox
import ParleyCore

extension LuaValue {
    /// Converts JSON into the value a rule sees: integral numbers become Lua integers, null becomes nil.
    public init(json: JSONValue) {
        switch json {
        case .null: self = .nil
        case .bool(let value): self = .bool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9.0e15 {
                self = .integer(Int64(value))
            } else {
                self = .number(value)
            }
        case .string(let value): self = .string(value)
        case .array(let values): self = .array(values.map(LuaValue.init(json:)))
        case .object(let fields): self = .table(fields.mapValues(LuaValue.init(json:)))
        }
    }

    /// The value as JSON; nil becomes null and non-finite numbers become null.
    public var json: JSONValue {
        switch self {
        case .nil: .null
        case .bool(let value): .bool(value)
        case .integer(let value): .number(Double(value))
        case .number(let value): value.isFinite ? .number(value) : .null
        case .string(let value): .string(value)
        case .array(let values): .array(values.map(\.json))
        case .table(let fields): .object(fields.mapValues(\.json))
        }
    }
}

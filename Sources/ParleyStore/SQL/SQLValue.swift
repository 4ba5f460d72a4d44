/// A value bound to a statement parameter or read from a result column.
enum SQLValue: Sendable, Equatable {
    case integer(Int)
    case float(Double)
    case text(String)
    case blob([UInt8])
    case null

    /// The text, when the value is text.
    var string: String? {
        if case .text(let value) = self { value } else { nil }
    }

    /// The value as an integer, when it is numeric.
    var integer: Int? {
        switch self {
        case .integer(let value): value
        case .float(let value): Int(exactly: value.rounded(.towardZero))
        default: nil
        }
    }

    /// The value as a double, when it is numeric.
    var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .float(let value): value
        default: nil
        }
    }

    /// Whether the value is SQL NULL.
    var isNull: Bool { self == .null }
}

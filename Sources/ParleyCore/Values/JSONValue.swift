import Foundation

/// An arbitrary JSON value: stage settings, message metadata and visitor attributes are stored in this form.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The members of an object, or nil for any other kind of value.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array of strings, or nil for any other value (an array holding anything but strings too).
    public var stringsValue: [String]? {
        guard case .array(let elements) = self else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for element in elements {
            guard case .string(let text) = element else { return nil }
            strings.append(text)
        }
        return strings
    }

    /// The JSON type name of this value, as used in error messages and schemas.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Converts any `Encodable` value into its JSON form.
    public static func encoding(_ value: some Encodable) throws -> JSONValue {
        let data = try JSONEncoder().encode(value)
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes this JSON value as `type`.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        let data = try JSONEncoder().encode(self)
        return try JSONDecoder().decode(type, from: data)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Creates `.string`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// Creates `.bool`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    /// Creates `.number`.
    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }

    /// Creates `.number`.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }

    /// Creates `.array`.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    /// Creates `.object`; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: JSONTextWritable {
    /// Writes the value as its `encode(to:)` does: a whole number below 10^15 as an integer, members sorted.
    public func writeJSON(to writer: inout JSONTextWriter) throws {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.writeBool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                writer.writeInt(Int(value))
            } else {
                try writer.writeDouble(value)
            }
        case .string(let value): writer.writeString(value)
        case .array(let values): try values.writeJSON(to: &writer)
        case .object(let members): try members.writeJSON(to: &writer)
        }
    }
}

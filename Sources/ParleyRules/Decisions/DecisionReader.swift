import Foundation
import LuaSandbox

/// Reads the fields of a table a rule returned, checking types and ranges, and refusing keys it was not asked for.
struct DecisionReader {
    private let fields: [String: LuaValue]
    private let path: String

    /// Reads `value` as a table; `path` prefixes error messages (`escalate.`).
    init(_ value: LuaValue, path: String, allowed: Set<String>) throws(InvalidDecision) {
        switch value {
        case .table(let fields): self.fields = fields
        case .array(let values) where values.isEmpty: self.fields = [:]
        default: throw InvalidDecision("\(path.isEmpty ? "the decision" : String(path.dropLast())) must be a table")
        }
        self.path = path
        if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw InvalidDecision(
                "unknown key '\(path)\(unknown)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// Whether the table has the key.
    func has(_ key: String) -> Bool { fields[key] != nil }

    /// The raw value under a key.
    subscript(key: String) -> LuaValue? { fields[key] }

    /// A string of 1 to `maxLength` characters, or nil when absent.
    func string(_ key: String, maxLength: Int) throws(InvalidDecision) -> String? {
        guard let value = fields[key] else { return nil }
        return try Self.string(value, name: path + key, maxLength: maxLength)
    }

    /// An integer in `range`, or nil when absent.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(InvalidDecision) -> Int? {
        guard let value = fields[key] else { return nil }
        let number: Int? =
            switch value {
            case .integer(let integer): Int(exactly: integer)
            case .number(let double): Int(exactly: double)
            default: nil
            }
        guard let number, range.contains(number) else {
            throw InvalidDecision("\(path)\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// Checks a value is a non-empty string of at most `maxLength` characters.
    static func string(_ value: LuaValue, name: String, maxLength: Int) throws(InvalidDecision) -> String {
        guard case .string(let text) = value else { throw InvalidDecision("\(name) must be a string") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InvalidDecision("\(name) must not be empty")
        }
        guard text.count <= maxLength else {
            throw InvalidDecision("\(name) must be at most \(maxLength) characters")
        }
        return text
    }

    /// Whether `text` is 1 to 40 characters from `a-z`, `0-9` and `extra`.
    static func isIdentifier(_ text: String, extra: Set<Character>) -> Bool {
        guard (1...40).contains(text.count) else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || extra.contains($0) }
    }
}

/// A rule's name: 1 to 40 characters of `a-z`, `0-9`, `_` and `-`, starting with a letter or digit.
///
/// Names appear in traces and chunk names (`rules/NAME.lua`), so they are checked once, here.
public struct RuleName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The name's text.
    public let rawValue: String

    /// Checks and wraps a name; nil when it breaks the pattern.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        rawValue = text
    }

    /// The rule's chunk name in traces and error messages: `rules/NAME.lua`.
    public var chunkName: String { "rules/\(rawValue).lua" }

    /// The chunk name a shadow candidate of the rule runs under: `shadow/NAME.lua`.
    public var shadowChunkName: String { "shadow/\(rawValue).lua" }

    public var description: String { rawValue }

    public static func < (lhs: RuleName, rhs: RuleName) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = RuleName(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid rule name '\(text)'"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// What a valid name looks like, for error messages.
    public static let pattern = "^[a-z0-9][a-z0-9_-]{0,39}$"

    private static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...40).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let alphanumeric =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            if alphanumeric { continue }
            if index > 0 && (byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")) { continue }
            return false
        }
        return true
    }
}

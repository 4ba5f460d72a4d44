/// A span of a message recognised as a structured value that rules can act on.
public struct Entity: Sendable, Codable, Hashable {
    /// What kind of value the span holds.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case email
        case orderNumber
        case money
        case date
    }

    /// The kind of value.
    public var kind: Kind
    /// The text as written in the message.
    public var text: String
    /// A canonical form: lower-cased e-mail, upper-cased order number, `"12.50 EUR"`, or an ISO date
    /// `yyyy-MM-dd` (`--MM-dd` when the year is not given).
    public var value: String
    /// The span's position in the message, in UTF-16 code units (as `NSRange` counts).
    public var utf16Range: Range<Int>

    /// Creates an entity.
    public init(kind: Kind, text: String, value: String, utf16Range: Range<Int>) {
        self.kind = kind
        self.text = text
        self.value = value
        self.utf16Range = utf16Range
    }
}

/// The originals behind `[TYPE_n]` placeholders, so a reply can be filled in after the model has written it.
///
/// `restore(_:)` replaces `[CARD_1]` with the original value and `[CARD_1.last4]` with its last four
/// digits or letters, so a reply can say "your card ending [CARD_1.last4]" without the model seeing the number.
public struct PlaceholderMap: Sendable, Hashable {
    /// Placeholder names without brackets (`CARD_1`) mapped to original values.
    public private(set) var originals: [String: String] = [:]

    /// Creates an empty map.
    public init() {}

    /// Returns the placeholder for `value`, reusing the existing one when the same value was seen before.
    mutating func placeholder(for value: String, type: PIIType) -> String {
        if let existing = originals.first(where: { $0.value == value && $0.key.hasPrefix(type.tag + "_") }) {
            return "[\(existing.key)]"
        }
        let number = originals.keys.filter { $0.hasPrefix(type.tag + "_") }.count + 1
        let name = "\(type.tag)_\(number)"
        originals[name] = value
        return "[\(name)]"
    }

    /// Replaces every known placeholder in `text` with its original (or, for `.last4`, the last four characters).
    public func restore(_ text: String) -> String {
        guard !originals.isEmpty, text.contains("[") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]") else {
                rest = rest[open...]
                break
            }
            let inside = rest[rest.index(after: open)..<close]
            if let value = originals[String(inside)] {
                result += value
            } else if inside.hasSuffix(".last4"), let value = originals[String(inside.dropLast(6))] {
                result += String(value.filter { $0.isLetter || $0.isNumber }.suffix(4))
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}

/// Splits normalised text into word tokens.
///
/// A token is a maximal run of letters, digits, marks, or connector characters; an apostrophe between two
/// letters stays inside the token (`don't`). Every other character separates tokens. Ideographic scripts
/// (Han, Kana, Thai) have no spaces, so each of their characters becomes its own token.
public struct WordTokenizer: Sendable, Codable, Hashable {
    /// Whether digits are replaced by `0`, so `order 12345` and `order 67890` share features.
    public var foldsDigits: Bool

    /// Creates a tokenizer.
    public init(foldsDigits: Bool = true) {
        self.foldsDigits = foldsDigits
    }

    /// Returns the tokens of `text` in order.
    public func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        // The current token's UTF-8 bytes: cheaper to grow than a `String.UnicodeScalarView`.
        var current: [UInt8] = []
        let scalars = Array(text.unicodeScalars)
        func flush() {
            if !current.isEmpty {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        for (index, scalar) in scalars.enumerated() {
            if scalar.isASCII {
                // ASCII's word characters are its letters and digits; the rest separate words (as below).
                let byte = UInt8(scalar.value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    current.append(byte)
                    continue
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    current.append(foldsDigits ? UInt8(ascii: "0") : byte)
                    continue
                default:
                    break
                }
            } else if ScriptClassifier.isUnsegmented(scalar) {
                flush()
                tokens.append(String(scalar))
                continue
            } else if Self.isWordScalar(scalar) {
                if foldsDigits, scalar.properties.numericType == .decimal {
                    current.append(UInt8(ascii: "0"))
                } else {
                    current.append(contentsOf: scalar.utf8)
                }
                continue
            }
            if scalar == "'" || scalar == "\u{2019}", !current.isEmpty, index + 1 < scalars.count,
                scalars[index + 1].properties.isAlphabetic
            {
                current.append(UInt8(ascii: "'"))
                continue
            }
            flush()
        }
        flush()
        return tokens
    }

    /// Whether `scalar` can be part of a word token.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}

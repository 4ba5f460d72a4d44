/// A text held as an array of Unicode scalars with the character-class helpers recognizers share.
///
/// All offsets are Unicode scalar indices, which match Python `str` indices.
struct PIITextScanner: Sendable {
    /// The scanned text, with full-width forms folded to ASCII, zero-width characters read as spaces, and
    /// literal escape sequences (`\\n`, `\\t`) turned into whitespace of equal length.
    let scalars: [Unicode.Scalar]
    /// The text exactly as given, used when extracting values.
    let original: [Unicode.Scalar]

    /// Creates a scanner over the scalars of `text`.
    init(_ text: String) {
        original = Array(text.unicodeScalars)
        var cleaned = original
        for (position, scalar) in cleaned.enumerated() where scalar.value >= 0xA0 {
            let value = scalar.value
            if value >= 0xFF01 && value <= 0xFF5E, let ascii = Unicode.Scalar(value - 0xFEE0) {
                cleaned[position] = ascii  // Full-width forms: `４１１１` is read as `4111`.
            } else if (0x200B...0x200D).contains(value) || value == 0x2060 || value == 0xFEFF || value == 0x00A0
                || value == 0x202F
            {
                cleaned[position] = " "  // Zero-width and no-break spaces act as separators.
            }
        }
        var index = 0
        while index + 1 < cleaned.count {
            if cleaned[index] == "\\" && (index == 0 || original[index - 1] != "\\") {
                switch cleaned[index + 1] {
                case "n", "r":
                    cleaned[index] = " "
                    cleaned[index + 1] = "\n"
                    index += 1
                case "t":
                    cleaned[index] = " "
                    cleaned[index + 1] = " "
                    index += 1
                default:
                    break
                }
            }
            index += 1
        }
        scalars = cleaned
    }

    /// The number of scalars.
    var count: Int { scalars.count }

    /// Returns the scalar at `index`, or nil outside the text.
    @inline(__always)
    func at(_ index: Int) -> Unicode.Scalar? {
        index >= 0 && index < scalars.count ? scalars[index] : nil
    }

    /// Returns true if the scalar at `index` is an ASCII digit.
    @inline(__always)
    func isDigit(_ index: Int) -> Bool {
        guard let scalar = at(index) else { return false }
        return scalar.value >= 48 && scalar.value <= 57
    }

    /// Returns true if the scalar at `index` is a letter (any script).
    @inline(__always)
    func isLetter(_ index: Int) -> Bool {
        guard let scalar = at(index) else { return false }
        return Self.isLetter(scalar)
    }

    /// Returns true if the scalar at `index` is a letter or an ASCII digit.
    @inline(__always)
    func isAlphanumeric(_ index: Int) -> Bool {
        isDigit(index) || isLetter(index)
    }

    /// Returns true if `scalar` is a letter (any script).
    @inline(__always)
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 128 { return (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
        return scalar.properties.isAlphabetic
    }

    /// Returns true if `scalar` is an upper-case letter.
    @inline(__always)
    static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 128 { return value >= 65 && value <= 90 }
        return scalar.properties.isUppercase
    }

    /// Returns true if `scalar` is a lower-case letter.
    @inline(__always)
    static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 128 { return value >= 97 && value <= 122 }
        return scalar.properties.isLowercase
    }

    /// Returns true if the scalar is an ASCII hexadecimal digit.
    @inline(__always)
    static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 48 && value <= 57) || (value >= 65 && value <= 70) || (value >= 97 && value <= 102)
    }

    /// Returns the text of a scalar range.
    func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: original[range])
        return String(view)
    }

    /// Builds a span of `type` over `range`.
    func span(_ type: PIIType, _ range: Range<Int>) -> PIISpan {
        PIISpan(type: type, range: range, value: string(range))
    }

    /// Returns the digits in `range` as small integers, skipping everything else.
    func digits(in range: Range<Int>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        for index in range where isDigit(index) {
            result.append(UInt8(scalars[index].value - 48))
        }
        return result
    }

    /// Returns up to `count` lower-cased words that end before `index`, nearest first.
    func wordsBefore(_ index: Int, count: Int, maxScalars: Int = 48) -> [String] {
        var words: [String] = []
        var cursor = index - 1
        let limit = max(0, index - maxScalars)
        while cursor >= limit && words.count < count {
            while cursor >= limit && !isLetter(cursor) { cursor -= 1 }
            guard cursor >= limit else { break }
            let end = cursor + 1
            while cursor >= limit && isLetter(cursor) { cursor -= 1 }
            words.append(string((cursor + 1)..<end).lowercased())
        }
        return words
    }

    /// Returns true if any of the `count` words before `index` is in `keywords` (lower-case).
    func hasKeyword(before index: Int, in keywords: Set<String>, count: Int = 4) -> Bool {
        wordsBefore(index, count: count).contains { keywords.contains($0) }
    }

    /// Returns the end offset of the word of letters starting at `index`.
    func wordEnd(from index: Int) -> Int {
        var cursor = index
        while cursor < count && isLetter(cursor) { cursor += 1 }
        return cursor
    }
}

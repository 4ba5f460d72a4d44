/// Tells which ``Script`` a Unicode scalar or a whole text is written in, from code-point ranges.
public enum ScriptClassifier {
    /// Returns the script of one scalar, or `nil` for characters that belong to no script
    /// (digits, punctuation, symbols, emoji, white space).
    public static func script(of scalar: Unicode.Scalar) -> Script? {
        let value = scalar.value
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F, 0x1E00...0x1EFF, 0xFF21...0xFF3A,
            0xFF41...0xFF5A:
            return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x531...0x58F: return .armenian
        case 0x591...0x5F4, 0xFB1D...0xFB4F: return .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
            // Arabic digits and punctuation are not letters.
            return scalar.properties.isAlphabetic ? .arabic : nil
        case 0x900...0x97F: return scalar.properties.isAlphabetic ? .devanagari : nil
        case 0x980...0x9FF: return scalar.properties.isAlphabetic ? .bengali : nil
        case 0xE00...0xE7F: return scalar.properties.isAlphabetic ? .thai : nil
        case 0x10A0...0x10FF: return .georgian
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return .hangul
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return .han
        default:
            return scalar.properties.isAlphabetic ? .other : nil
        }
    }

    /// Counts the letters of each script in `text`; characters of no script are not counted.
    public static func histogram(_ text: String) -> [Script: Int] {
        var counts: [Script: Int] = [:]
        for scalar in text.unicodeScalars {
            if let script = script(of: scalar) { counts[script, default: 0] += 1 }
        }
        return counts
    }

    /// Whether `scalar` belongs to a script written without spaces between words (Han, Kana, Thai).
    public static func isUnsegmented(_ scalar: Unicode.Scalar) -> Bool {
        switch script(of: scalar) {
        case .han, .kana, .thai: return true
        default: return false
        }
    }
}

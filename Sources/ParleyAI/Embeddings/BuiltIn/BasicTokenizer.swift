import Foundation

/// BERT's pre-tokenizer for uncased models: cleans the text, isolates CJK ideographs, strips accents, lowercases and
/// splits on whitespace and punctuation.
///
/// It follows the HuggingFace fast tokenizer that sentence-transformers runs (`BertNormalizer` with
/// `clean_text`, `handle_chinese_chars`, `strip_accents` and `lowercase`, then `BertPreTokenizer`), which agrees
/// with transformers' Python `BasicTokenizer` except in two corners: it lowercases one scalar at a time (a final
/// capital sigma becomes `σ`, not `ς`), and it keeps unassigned code points (which then become `[UNK]`) where the
/// Python one drops them with the control characters.
struct BasicTokenizer: Sendable {
    /// Splits `text` into lowercased, accent-free words and single punctuation marks.
    func tokenize(_ text: String) -> [String] {
        var cleaned = String.UnicodeScalarView()
        var isASCII = true
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isChineseCharacter(value) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
                isASCII = false
            } else {
                cleaned.append(scalar)
                isASCII = isASCII && value < 0x80
            }
        }
        let decomposed = isASCII ? String(cleaned) : String(cleaned).decomposedStringWithCanonicalMapping

        var words: [String] = []
        var word = String.UnicodeScalarView()
        func finishWord() {
            if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        for scalar in decomposed.unicodeScalars {
            if scalar.value < 0x80 {
                if scalar == " " {
                    finishWord()
                } else if Self.isASCIIPunctuation(scalar.value) {
                    finishWord()
                    words.append(String(Character(scalar)))
                } else if scalar.value >= 0x41 && scalar.value <= 0x5A {
                    word.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
                } else {
                    word.append(scalar)
                }
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.isWhitespace {
                finishWord()
            } else if Self.isPunctuation(properties.generalCategory) {
                finishWord()
                words.append(String(Character(scalar)))
            } else if properties.changesWhenLowercased {
                word.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            } else {
                word.append(scalar)
            }
        }
        finishWord()
        return words
    }

    /// Whether BERT drops `scalar` as a control character: categories Cc, Cf and Co.
    ///
    /// Tab, newline and carriage return count as whitespace instead. Unassigned code points are kept, as the fast
    /// tokenizer does.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r":
            return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate:
                return true
            default:
                return false
            }
        }
    }

    /// Whether BERT treats `scalar` as whitespace.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r":
            return true
        default:
            return scalar.value >= 0x80 && scalar.properties.isWhitespace
        }
    }

    /// Whether the code point is a CJK ideograph, which BERT makes a word of its own.
    static func isChineseCharacter(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
            || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }

    /// Whether an ASCII code is punctuation for BERT: every non-alphanumeric printable character, `$` and `^` too.
    static func isASCIIPunctuation(_ value: UInt32) -> Bool {
        (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
    }

    /// Whether a Unicode general category is punctuation (`P*`).
    static func isPunctuation(_ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}

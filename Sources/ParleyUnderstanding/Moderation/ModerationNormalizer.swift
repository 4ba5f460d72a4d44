/// Folds text into a canonical lower-case ASCII-leaning form that defeats common evasions: case,
/// diacritics, homoglyphs (Cyrillic/Greek look-alikes), full-width forms, zero-width and soft-hyphen
/// characters, optional leetspeak, and letters spelled out with spaces (`i g n o r e`).
enum ModerationNormalizer {
    /// Folds one scalar; returns nil for characters to drop (zero-width, tags, combining marks).
    static func fold(_ scalar: Unicode.Scalar, leet: Bool) -> String? {
        let value = scalar.value
        if value < 128 {
            if value >= 65 && value <= 90 { return String(Character(Unicode.Scalar(value + 32)!)) }
            if leet, let mapped = leetMap[scalar] { return mapped }
            return String(Character(scalar))
        }
        if isInvisible(value) { return nil }
        if value >= 0xFF01 && value <= 0xFF5E, let ascii = Unicode.Scalar(value - 0xFEE0) {
            return fold(ascii, leet: leet)
        }
        if let mapped = foldTable[scalar] { return mapped }
        if scalar.properties.isUppercase {
            return String(scalar.properties.lowercaseMapping)
        }
        return String(Character(scalar))
    }

    /// Returns true for zero-width, formatting, tag and combining characters.
    static func isInvisible(_ value: UInt32) -> Bool {
        (0x200B...0x200F).contains(value) || (0x2060...0x2064).contains(value) || value == 0xFEFF || value == 0x00AD
            || value == 0x180E || (0x0300...0x036F).contains(value) || (0xE0000...0xE007F).contains(value)
            || (0xFE00...0xFE0F).contains(value) || (0x202A...0x202E).contains(value)
    }

    /// Folds a whole text.
    static func fold(_ text: String, leet: Bool = false) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 128 && !(leet && isLeetSymbol(value)) {
                result.append(value >= 65 && value <= 90 ? Unicode.Scalar(value + 32)! : scalar)
            } else if let folded = fold(scalar, leet: leet) {
                result.append(contentsOf: folded.unicodeScalars)
            }
        }
        return String(result)
    }

    /// Splits folded text into words of letters and digits, joining runs of three or more single letters
    /// (`i g n o r e` → `ignore`) and dropping apostrophes inside words.
    static func words(_ folded: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            let value = scalar.value
            let isWordScalar =
                value < 128
                ? (value >= 97 && value <= 122) || (value >= 48 && value <= 57) || (value >= 65 && value <= 90)
                : scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if isWordScalar {
                current.append(scalar)
            } else if scalar == "'" || scalar == "’" {
                continue
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return joinSpelledOut(words)
    }

    /// Joins runs of three or more one-letter words.
    static func joinSpelledOut(_ words: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < words.count {
            var end = index
            while end < words.count && words[end].count == 1 && words[end].first!.isLetter { end += 1 }
            if end - index >= 3 {
                result.append(words[index..<end].joined())
                index = end
            } else {
                result.append(words[index])
                index += 1
            }
        }
        return result
    }

    /// Collapses runs of three or more identical letters to one (`fuuuuck` → `fuck`).
    static func squeeze(_ word: String) -> String {
        var result = ""
        var previous: Character? = nil
        var run = 0
        for character in word {
            if character == previous {
                run += 1
            } else {
                run = 1
                previous = character
            }
            if run <= 2 { result.append(character) }
        }
        return result
    }

    @inline(__always)
    private static func isLeetSymbol(_ value: UInt32) -> Bool {
        (value >= 48 && value <= 57 && value != 50 && value != 54) || value == 64 || value == 36 || value == 33
            || value == 124 || value == 43
    }

    private static let leetMap: [Unicode.Scalar: String] = [
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s",
        "!": "i", "|": "l", "+": "t",
    ]

    /// Diacritics, ligatures and look-alike letters from Latin, Cyrillic and Greek.
    private static let foldTable: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăąǎȁȃȧạảấầẩẫậắằẳẵặ", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęěȅȇẹẻẽếềểễệ", "e"),
            ("ĝğġģ", "g"), ("ĥħ", "h"), ("ìíîïĩīĭįıǐȉȋịỉ", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"),
            ("ñńņňŉ", "n"), ("òóôõöøōŏőǒȍȏọỏốồổỗộớờởỡợ", "o"), ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"),
            ("ùúûüũūŭůűųǔȕȗụủứừửữự", "u"), ("ŵ", "w"), ("ýÿŷỳỹ", "y"), ("źżž", "z"),
            ("ÀÁÂÃÄÅĀĂĄ", "a"), ("ÇĆĈĊČ", "c"), ("ĎĐ", "d"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ĜĞĠĢ", "g"), ("ĤĦ", "h"),
            ("ÌÍÎÏĨĪĬĮİ", "i"), ("ĴĶ", "j"), ("ĹĻĽĿŁ", "l"), ("ÑŃŅŇ", "n"), ("ÒÓÔÕÖØŌŎŐ", "o"), ("ŔŖŘ", "r"),
            ("ŚŜŞŠȘ", "s"), ("ŢŤŦȚ", "t"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"), ("ÝŸŶ", "y"), ("ŹŻŽ", "z"),
            ("аАαΑ", "a"), ("вВβΒ", "b"), ("сСϲ", "c"), ("ԁ", "d"), ("еЕεΕёЁ", "e"), ("һ", "h"),
            ("іІιΙїЇ", "i"), ("јЈ", "j"), ("кКκΚ", "k"), ("ӏ", "l"), ("мМΜ", "m"), ("нНΗ", "h"),
            ("оОοΟσ", "o"), ("рРρΡ", "p"), ("ԛ", "q"), ("ѕЅ", "s"), ("тТτΤ", "t"), ("υ", "u"),
            ("хХχΧ", "x"), ("уУγ", "y"), ("ΖΖ", "z"), ("ν", "v"), ("ɡ", "g"), ("ո", "n"), ("ս", "u"),
        ]
        for (letters, replacement) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = replacement }
        }
        table["ß"] = "ss"
        table["æ"] = "ae"
        table["Æ"] = "ae"
        table["œ"] = "oe"
        table["Œ"] = "oe"
        table["þ"] = "th"
        table["ð"] = "d"
        return table
    }()
}

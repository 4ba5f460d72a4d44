/// Finds and decodes payloads hidden in a text so their plain content can be checked for instructions.
///
/// Covers base64, base32, hex, 8-bit binary, Morse, percent-encoding, `\u` escapes, Unicode tag characters,
/// Ascii85 and Base85. ROT13 and reversed text are handled on words by `InjectionDetector`.
enum EncodedPayloadDecoder {
    /// A decoded view of the text and the encoding that produced it.
    struct Decoded: Sendable {
        let encoding: String
        let text: String
    }

    /// Returns every plausible decoded payload; never throws, bounded by the text length.
    static func decode(_ text: String) -> [Decoded] {
        var results: [Decoded] = []
        let scalars = Array(text.unicodeScalars)
        func add(_ encoding: String, _ bytes: [UInt8]?) {
            guard let bytes, bytes.count >= 8, let decoded = printableText(bytes) else { return }
            results.append(Decoded(encoding: encoding, text: decoded))
        }
        let tags = scalars.filter { (0xE0020...0xE007E).contains($0.value) }.map { UInt8($0.value - 0xE0000) }
        if tags.count >= 4 { add("unicode-tags", tags) }
        for run in runs(scalars, minimum: 16, where: isBase64Character) {
            add("base64", base64(run))
        }
        for run in runs(scalars, minimum: 16, where: isBase32Character) where run.contains(where: { $0.value < 65 }) {
            add("base32", base32(run))
        }
        for run in runs(scalars, minimum: 16, where: { isHex($0) }) {
            add("hex", hex(run))
        }
        if let bytes = binary(scalars) { add("binary", bytes) }
        if let morse = morse(scalars) { results.append(Decoded(encoding: "morse", text: morse)) }
        if text.contains("%"), let bytes = percent(scalars) { add("percent", bytes) }
        if text.contains("\\u"), let unescaped = unicodeEscapes(scalars) {
            results.append(Decoded(encoding: "unicode-escape", text: unescaped))
        }
        if let start = firstIndex(of: ["<", "~"], in: scalars, from: 0),
            let end = firstIndex(of: ["~", ">"], in: scalars, from: start + 2)
        {
            add("ascii85", ascii85(Array(scalars[(start + 2)..<end])))
        }
        for run in runs(scalars, minimum: 20, where: isBase85Character) where !run.allSatisfy(isBase64Character) {
            add("base85", base85(run))
        }
        return results
    }

    // MARK: - Runs

    private static func firstIndex(of pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar], from: Int) -> Int? {
        guard scalars.count >= pattern.count, from <= scalars.count - pattern.count else { return nil }
        for index in from...(scalars.count - pattern.count)
        where scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
            return index
        }
        return nil
    }

    private static func runs(
        _ scalars: [Unicode.Scalar], minimum: Int, where accept: (Unicode.Scalar) -> Bool
    ) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if accept(scalar) {
                current.append(scalar)
            } else {
                if current.count >= minimum { result.append(current) }
                current = []
            }
        }
        if current.count >= minimum { result.append(current) }
        return result
    }

    private static func isBase64Character(_ scalar: Unicode.Scalar) -> Bool {
        isHex(scalar) || ("g"..."z").contains(scalar) || ("G"..."Z").contains(scalar)
            || scalar == "+" || scalar == "/" || scalar == "=" || scalar == "-" || scalar == "_"
    }

    @inline(__always)
    private static func isHex(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 48 && value <= 57) || (value >= 65 && value <= 70) || (value >= 97 && value <= 102)
    }

    private static func isBase32Character(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("2"..."7").contains(scalar) || scalar == "="
    }

    private static func isBase85Character(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 32 && scalar.value < 127 && scalar != "\"" && scalar != "'" && scalar != "," && scalar != "."
            && scalar != "/" && scalar != ":" && scalar != "[" && scalar != "]" && scalar != "\\"
    }

    /// Accepts decoded bytes as UTF-8 text when most characters are printable letters or spaces.
    private static func printableText(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty else { return nil }
        let good = scalars.filter { $0 == " " || $0.properties.isAlphabetic || ("0"..."9").contains($0) }.count
        let spaces = scalars.filter { $0 == " " }.count
        return Double(good) / Double(scalars.count) >= 0.85 && spaces >= 1 ? text : nil
    }

    // MARK: - Decoders

    static func base64(_ run: [Unicode.Scalar]) -> [UInt8]? {
        var bits: UInt32 = 0
        var count = 0
        var bytes: [UInt8] = []
        for scalar in run {
            let value: UInt32
            switch scalar {
            case "A"..."Z": value = scalar.value - 65
            case "a"..."z": value = scalar.value - 71
            case "0"..."9": value = scalar.value + 4
            case "+", "-": value = 62
            case "/", "_": value = 63
            default: continue
            }
            bits = (bits << 6) | value
            count += 6
            if count >= 8 {
                count -= 8
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return bytes
    }

    static func base32(_ run: [Unicode.Scalar]) -> [UInt8]? {
        var bits: UInt64 = 0
        var count = 0
        var bytes: [UInt8] = []
        for scalar in run {
            let value: UInt64
            switch scalar {
            case "A"..."Z": value = UInt64(scalar.value - 65)
            case "2"..."7": value = UInt64(scalar.value - 24)
            default: continue
            }
            bits = (bits << 5) | value
            count += 5
            if count >= 8 {
                count -= 8
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(count)))
            }
        }
        return bytes
    }

    static func hex(_ run: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < run.count {
            guard let high = hexValue(run[index]), let low = hexValue(run[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar {
        case "0"..."9": return UInt8(scalar.value - 48)
        case "a"..."f": return UInt8(scalar.value - 87)
        case "A"..."F": return UInt8(scalar.value - 55)
        default: return nil
        }
    }

    /// Groups of eight 0/1 digits separated by spaces.
    static func binary(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        var current: UInt8 = 0
        var length = 0
        for scalar in scalars {
            if scalar == "0" || scalar == "1" {
                current = current << 1 | (scalar == "1" ? 1 : 0)
                length += 1
            } else {
                if length == 8 { bytes.append(current) }
                current = 0
                length = 0
            }
        }
        if length == 8 { bytes.append(current) }
        return bytes.count >= 8 ? bytes : nil
    }

    private static let morseTable: [String: Character] = [
        ".-": "a", "-...": "b", "-.-.": "c", "-..": "d", ".": "e", "..-.": "f", "--.": "g", "....": "h", "..": "i",
        ".---": "j", "-.-": "k", ".-..": "l", "--": "m", "-.": "n", "---": "o", ".--.": "p", "--.-": "q", ".-.": "r",
        "...": "s", "-": "t", "..-": "u", "...-": "v", ".--": "w", "-..-": "x", "-.--": "y", "--..": "z",
        "-----": "0", ".----": "1", "..---": "2", "...--": "3", "....-": "4", ".....": "5", "-....": "6",
        "--...": "7", "---..": "8", "----.": "9",
    ]

    /// Morse letters separated by spaces, words by `/`.
    static func morse(_ scalars: [Unicode.Scalar]) -> String? {
        let symbols = scalars.filter { $0 == "." || $0 == "-" }.count
        guard symbols >= 20 else { return nil }
        var text = ""
        var letter = ""
        var decodedLetters = 0
        for scalar in scalars + [" "] {
            if scalar == "." || scalar == "-" {
                letter.unicodeScalars.append(scalar)
            } else {
                if !letter.isEmpty, let character = morseTable[letter] {
                    text.append(character)
                    decodedLetters += 1
                }
                letter = ""
                if scalar == "/" { text.append(" ") }
            }
        }
        return decodedLetters >= 8 ? text : nil
    }

    static func percent(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = 0
        var escapes = 0
        while index < scalars.count {
            if scalars[index] == "%", index + 2 < scalars.count, let high = hexValue(scalars[index + 1]),
                let low = hexValue(scalars[index + 2])
            {
                bytes.append(high << 4 | low)
                escapes += 1
                index += 3
            } else {
                bytes += Array(String(scalars[index]).utf8)
                index += 1
            }
        }
        return escapes >= 3 ? bytes : nil
    }

    static func unicodeEscapes(_ scalars: [Unicode.Scalar]) -> String? {
        var result = String.UnicodeScalarView()
        var index = 0
        var escapes = 0
        while index < scalars.count {
            if scalars[index] == "\\", index + 5 < scalars.count, scalars[index + 1] == "u" {
                let digits = scalars[(index + 2)..<(index + 6)].compactMap(hexValue)
                if digits.count == 4, let scalar = Unicode.Scalar(digits.reduce(UInt32(0)) { $0 << 4 | UInt32($1) }) {
                    result.append(scalar)
                    escapes += 1
                    index += 6
                    continue
                }
            }
            result.append(scalars[index])
            index += 1
        }
        return escapes >= 4 ? String(result) : nil
    }

    static func ascii85(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        decode85(scalars.filter { $0.value > 32 }) { scalar in
            scalar.value >= 33 && scalar.value <= 117 ? scalar.value - 33 : nil
        }
    }

    private static let base85Alphabet = Array(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~".unicodeScalars)
    private static let base85Values: [Unicode.Scalar: UInt32] = Dictionary(
        uniqueKeysWithValues: base85Alphabet.enumerated().map { ($1, UInt32($0)) })

    /// RFC 1924 / Python `b85encode` alphabet.
    static func base85(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        decode85(scalars) { base85Values[$0] }
    }

    private static func decode85(_ scalars: [Unicode.Scalar], value: (Unicode.Scalar) -> UInt32?) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = 0
        while index < scalars.count {
            let chunk = scalars[index..<min(index + 5, scalars.count)]
            var accumulator: UInt64 = 0
            for offset in 0..<5 {
                let digit: UInt32
                if offset < chunk.count {
                    guard let decoded = value(chunk[chunk.startIndex + offset]) else { return nil }
                    digit = decoded
                } else {
                    digit = 84
                }
                accumulator = accumulator * 85 + UInt64(digit)
            }
            guard accumulator <= UInt64(UInt32.max) else { return nil }
            let word = UInt32(accumulator)
            let produced = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
            bytes += produced.prefix(chunk.count - 1 + (chunk.count == 5 ? 1 : 0))
            index += 5
        }
        return bytes
    }

    static func rot13(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar {
                    case "a"..."z": return Unicode.Scalar((scalar.value - 97 + 13) % 26 + 97)!
                    case "A"..."Z": return Unicode.Scalar((scalar.value - 65 + 13) % 26 + 65)!
                    default: return scalar
                    }
                }))
    }
}

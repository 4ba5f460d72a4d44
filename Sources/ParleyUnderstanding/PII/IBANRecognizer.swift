/// Finds IBANs: a known country code, the country's exact length, and a valid ISO 7064 mod-97 check.
///
/// Accepts compact (`GB82WEST12345698765432`) and grouped (`GB82 WEST 1234 ...`) forms, any letter case.
struct IBANRecognizer: Sendable {
    /// Returns every IBAN in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index + 4 <= text.count {
            if !text.isAlphanumeric(index - 1), let end = Self.match(text, at: index) {
                spans.append(text.span(.iban, index..<end))
                index = end
            } else {
                index += 1
            }
        }
        return spans
    }

    /// Returns the end offset of an IBAN starting at `start`, if one does.
    private static func match(_ text: PIITextScanner, at start: Int) -> Int? {
        guard let first = text.at(start), let second = text.at(start + 1),
            first.value < 128, second.value < 128, text.isLetter(start), text.isLetter(start + 1),
            text.isDigit(start + 2), text.isDigit(start + 3)
        else { return nil }
        let country = String(Character(first)).uppercased() + String(Character(second)).uppercased()
        guard let length = IBANCountryLengths.table[country] else { return nil }
        var characters: [Unicode.Scalar] = []
        var cursor = start
        var end = start
        while cursor < text.count && characters.count < length {
            let scalar = text.scalars[cursor]
            if scalar.value < 128 && (text.isLetter(cursor) || text.isDigit(cursor)) {
                characters.append(scalar)
                cursor += 1
                end = cursor
            } else if scalar == " " && text.isAlphanumeric(cursor + 1) && characters.count % 4 == 0 {
                cursor += 1
            } else {
                break
            }
        }
        guard characters.count == length, !text.isAlphanumeric(end) else { return nil }
        return isValidChecksum(characters) ? end : nil
    }

    /// Returns true if the IBAN characters (no spaces) pass the mod-97 check.
    static func isValidChecksum(_ characters: [Unicode.Scalar]) -> Bool {
        guard characters.count > 4 else { return false }
        let rearranged = characters[4...] + characters[..<4]
        var remainder = 0
        for scalar in rearranged {
            let value = scalar.value
            if value >= 48 && value <= 57 {
                remainder = (remainder * 10 + Int(value - 48)) % 97
            } else {
                let upper = value >= 97 ? value - 32 : value
                guard upper >= 65 && upper <= 90 else { return false }
                remainder = (remainder * 100 + Int(upper - 55)) % 97
            }
        }
        return remainder == 1
    }
}

/// Finds dates of birth: a numeric or month-name date within a few words after a birth cue
/// (`born`, `date of birth`, `DOB`, `birthday`, `geboren`, `né`, `nacido`, `nato`).
struct DateOfBirthRecognizer: Sendable {
    private static let cues: Set<String> = [
        "born", "birth", "dob", "birthday", "birthdate", "geboren", "geburtsdatum", "né", "née", "naissance",
        "nacido", "nacida", "nacimiento", "nato", "nata", "nascita",
    ]
    private static let months: Set<String> = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
        "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    ]

    /// Returns every date of birth in the tokenized text.
    func recognize(_ text: PIITextScanner, tokens: [PIIToken]) -> [PIISpan] {
        var spans: [PIISpan] = []
        for (index, token) in tokens.enumerated() where token.kind == .word && Self.cues.contains(token.lower) {
            var cursor = index + 1
            var scanned = 0
            while cursor < tokens.count && scanned < 6 {
                if let end = Self.date(at: cursor, tokens) {
                    spans.append(
                        text.span(.dateOfBirth, tokens[cursor].range.lowerBound..<tokens[end].range.upperBound))
                    break
                }
                cursor += 1
                scanned += 1
            }
        }
        return spans
    }

    /// Returns the last token index of a date starting at `index`.
    private static func date(at index: Int, _ tokens: [PIIToken]) -> Int? {
        func number(_ offset: Int, _ lengths: ClosedRange<Int>) -> Bool {
            index + offset < tokens.count && tokens[index + offset].kind == .number
                && lengths.contains(tokens[index + offset].text.count)
        }
        func separator(_ offset: Int) -> Bool {
            index + offset < tokens.count && ["/", "-", "."].contains(tokens[index + offset].text)
        }
        func month(_ offset: Int) -> Bool {
            index + offset < tokens.count && months.contains(tokens[index + offset].lower)
        }
        if number(0, 1...4) && separator(1) && number(2, 1...2) && separator(3) && number(4, 2...4) { return index + 4 }
        if number(0, 1...2) && month(1) && number(2, 4...4) { return index + 2 }
        if month(0) && number(1, 1...2) {
            if number(2, 4...4) { return index + 2 }
            if index + 3 < tokens.count && tokens[index + 2].text == "," && number(3, 4...4) { return index + 3 }
        }
        return nil
    }
}

/// Finds US Social Security numbers written `AAA-GG-SSSS` or `AAA GG SSSS`, or as nine bare digits
/// after an SSN keyword, rejecting numbers the SSA never issues.
struct SSNRecognizer: Sendable {
    private static let keywords: Set<String> = ["ssn", "ssns", "social", "security", "ss", "taxpayer", "tin"]

    /// Returns every plausible SSN in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index + 9 <= text.count {
            guard text.isDigit(index), !text.isAlphanumeric(index - 1), !Self.isNumberJoiner(text, index - 1) else {
                index += 1
                continue
            }
            if let end = Self.match(text, at: index) {
                spans.append(text.span(.ssn, index..<end))
                index = end
            } else {
                index += 1
            }
        }
        return spans
    }

    private static func isNumberJoiner(_ text: PIITextScanner, _ index: Int) -> Bool {
        guard let scalar = text.at(index), scalar == "-" || scalar == "." || scalar == "/" else { return false }
        return text.isDigit(index - 1)
    }

    private static func match(_ text: PIITextScanner, at start: Int) -> Int? {
        let separated: Bool
        let end: Int
        if let sep = text.at(start + 3), sep == "-" || sep == " ", text.at(start + 6) == sep {
            let digitOffsets = [0, 1, 2, 4, 5, 7, 8, 9, 10]
            guard digitOffsets.allSatisfy({ text.isDigit(start + $0) }) else { return nil }
            separated = true
            end = start + 11
        } else {
            guard (0..<9).allSatisfy({ text.isDigit(start + $0) }) else { return nil }
            separated = false
            end = start + 9
        }
        guard !text.isAlphanumeric(end) else { return nil }
        if let next = text.at(end), next == "-" || next == ".", text.isDigit(end + 1) { return nil }
        if !separated && !text.hasKeyword(before: start, in: keywords, count: 5) { return nil }
        let digits = text.digits(in: start..<end)
        return isValid(digits) ? end : nil
    }

    /// Returns true if nine digits form an SSN the SSA could issue.
    static func isValid(_ digits: [UInt8]) -> Bool {
        guard digits.count == 9 else { return false }
        let area = Int(digits[0]) * 100 + Int(digits[1]) * 10 + Int(digits[2])
        let group = Int(digits[3]) * 10 + Int(digits[4])
        let serial = digits[5...].reduce(0) { $0 * 10 + Int($1) }
        if area == 0 || area == 666 || area >= 900 { return false }
        if group == 0 || serial == 0 { return false }
        return !Set(digits).isEmpty && Set(digits).count > 1
    }
}

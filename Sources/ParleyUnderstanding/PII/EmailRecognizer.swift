/// Finds e-mail addresses by expanding outwards from each `@`, without regular expressions.
struct EmailRecognizer: Sendable {
    /// Returns every e-mail address in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index < text.count {
            defer { index += 1 }
            guard text.scalars[index] == "@" else { continue }
            var start = index
            while start > 0 && Self.isLocalPart(text.scalars[start - 1]) { start -= 1 }
            while start < index && text.scalars[start] == "." { start += 1 }
            guard start < index else { continue }
            var end = index + 1
            while end < text.count && Self.isDomainPart(text.scalars[end]) { end += 1 }
            while end > index + 1 && (text.scalars[end - 1] == "." || text.scalars[end - 1] == "-") { end -= 1 }
            guard Self.isValidDomain(text, (index + 1)..<end) else { continue }
            spans.append(text.span(.email, start..<end))
            index = end
        }
        return spans
    }

    private static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 {
            return PIITextScanner.isLetter(scalar) || ("0"..."9").contains(scalar)
                || "._%+-'".unicodeScalars.contains(scalar)
        }
        return scalar.properties.isAlphabetic
    }

    private static func isDomainPart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 {
            return PIITextScanner.isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
        }
        return scalar.properties.isAlphabetic
    }

    /// A domain needs at least two labels, no empty label, and a top-level label of two or more letters.
    private static func isValidDomain(_ text: PIITextScanner, _ range: Range<Int>) -> Bool {
        guard range.count >= 4 else { return false }
        var labels: [Range<Int>] = []
        var labelStart = range.lowerBound
        for index in range where text.scalars[index] == "." {
            labels.append(labelStart..<index)
            labelStart = index + 1
        }
        labels.append(labelStart..<range.upperBound)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last else { return false }
        return tld.count >= 2 && tld.allSatisfy { text.isLetter($0) }
    }
}

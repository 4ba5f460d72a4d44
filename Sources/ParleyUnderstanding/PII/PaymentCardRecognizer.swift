/// Finds payment card numbers: 12–19 digits, optionally grouped by spaces or dashes, with a known
/// issuer prefix and a valid Luhn check digit.
struct PaymentCardRecognizer: Sendable {
    /// Returns every payment card number in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index < text.count {
            guard text.isDigit(index), !text.isAlphanumeric(index - 1) else {
                index += 1
                continue
            }
            let (end, digits) = Self.digitRun(text, from: index)
            let context = text.hasKeyword(before: index, in: Self.keywords, count: 5)
            if let accepted = Self.acceptedLength(digits, hasCardContext: context) {
                let stop = Self.endOffset(text, from: index, digitCount: accepted)
                spans.append(text.span(.paymentCard, index..<stop))
                index = stop
            } else {
                index = max(end, index + 1)
            }
        }
        return spans
    }

    /// Reads digits separated by single spaces or dashes; stops at letters or other punctuation.
    private static func digitRun(_ text: PIITextScanner, from start: Int) -> (Int, [UInt8]) {
        var digits: [UInt8] = []
        var cursor = start
        var lastDigitEnd = start
        while cursor < text.count && digits.count <= 19 {
            if text.isDigit(cursor) {
                digits.append(UInt8(text.scalars[cursor].value - 48))
                cursor += 1
                lastDigitEnd = cursor
            } else if (text.scalars[cursor] == " " || text.scalars[cursor] == "-") && text.isDigit(cursor + 1) {
                cursor += 1
            } else {
                break
            }
        }
        if text.isAlphanumeric(lastDigitEnd) { return (lastDigitEnd, []) }
        return (lastDigitEnd, digits)
    }

    /// Returns the offset just after the `digitCount`-th digit from `start`.
    private static func endOffset(_ text: PIITextScanner, from start: Int, digitCount: Int) -> Int {
        var seen = 0
        var cursor = start
        while cursor < text.count {
            if text.isDigit(cursor) {
                seen += 1
                if seen == digitCount { return cursor + 1 }
            }
            cursor += 1
        }
        return cursor
    }

    /// Returns the digit count if the run is a whole card number, otherwise nil.
    ///
    /// A Luhn-valid 13–19 digit number with an unknown issuer prefix is still accepted after a card keyword.
    static func acceptedLength(_ digits: [UInt8], hasCardContext: Bool = false) -> Int? {
        guard (12...19).contains(digits.count), luhnIsValid(digits) else { return nil }
        if CardNetwork.identify(digits) != nil { return digits.count }
        return hasCardContext && digits.count >= 13 ? digits.count : nil
    }

    private static let keywords: Set<String> = [
        "card", "cards", "credit", "debit", "visa", "mastercard", "amex", "pan", "cc", "karte", "carte", "tarjeta",
        "carta",
    ]

    /// Returns true if the digits pass the Luhn (mod 10) check.
    static func luhnIsValid(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}

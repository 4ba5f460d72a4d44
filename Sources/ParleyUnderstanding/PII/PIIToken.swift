/// A word, number or punctuation mark in a scanned text, used by the name and address recognizers.
struct PIIToken: Sendable {
    /// What a token is made of.
    enum Kind: Sendable, Equatable {
        case word, number, newline, punctuation
    }

    /// The token's kind.
    let kind: Kind
    /// Scalar offsets in the text.
    let range: Range<Int>
    /// The token text as written.
    let text: String
    /// The lower-cased text.
    let lower: String
    /// True if a word starts with an upper-case letter and has a lower-case one (`Anna`, `McKay`, `O'Neil`).
    let isCapitalized: Bool
    /// True for a single upper-case letter (a middle initial).
    let isInitial: Bool

    /// Splits a text into tokens; spaces and tabs are dropped, newlines kept.
    static func tokenize(_ text: PIITextScanner) -> [PIIToken] {
        var tokens: [PIIToken] = []
        var index = 0
        while index < text.count {
            let scalar = text.scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\r" {
                index += 1
            } else if scalar == "\n" {
                tokens.append(make(text, .newline, index..<(index + 1)))
                index += 1
            } else if text.isLetter(index) {
                var end = index
                while end < text.count {
                    if text.isLetter(end) || text.isDigit(end) {
                        end += 1
                    } else if let joiner = text.at(end), joiner == "'" || joiner == "-" || joiner == "’",
                        text.isLetter(end + 1), text.isLetter(end - 1), !isPossessive(text, end)
                    {
                        end += 1
                    } else {
                        break
                    }
                }
                tokens.append(make(text, .word, index..<end))
                index = end
            } else if text.isDigit(index) {
                var end = index
                while text.isDigit(end) { end += 1 }
                if text.isLetter(end) && !text.isLetter(end + 1) { end += 1 }
                tokens.append(make(text, .number, index..<end))
                index = end
            } else {
                tokens.append(make(text, .punctuation, index..<(index + 1)))
                index += 1
            }
        }
        return tokens
    }

    /// True for the apostrophe of a possessive `'s` (`Zoe's`), which is kept out of the word.
    private static func isPossessive(_ text: PIITextScanner, _ apostrophe: Int) -> Bool {
        guard let next = text.at(apostrophe + 1), next == "s" || next == "S" else { return false }
        return !text.isLetter(apostrophe + 2)
    }

    private static func make(_ text: PIITextScanner, _ kind: Kind, _ range: Range<Int>) -> PIIToken {
        let string = text.string(range)
        var capitalized = false
        var initial = false
        if kind == .word, let first = text.at(range.lowerBound), PIITextScanner.isUppercase(first) {
            if range.count == 1 {
                initial = true
            } else {
                capitalized = text.scalars[range].dropFirst().contains(where: PIITextScanner.isLowercase)
            }
        }
        return PIIToken(
            kind: kind, range: range, text: string, lower: string.lowercased(), isCapitalized: capitalized,
            isInitial: initial)
    }
}

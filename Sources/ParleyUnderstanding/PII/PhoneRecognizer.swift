/// Finds telephone numbers in national and international formats (`+41 (0)35 291 04 85`,
/// `(952)664-4390`, `070 4493 5104`, `653.269.5952x823`) with a hand-written scanner.
///
/// Bare digit strings need a phone keyword nearby unless their shape is unambiguous.
struct PhoneRecognizer: Sendable {
    private static let keywords: Set<String> = [
        "phone", "telephone", "tel", "call", "calling", "mobile", "cell", "cellphone", "fax", "number", "reach",
        "text", "sms", "whatsapp", "contact", "desk", "office", "ring", "dial", "landline", "telefon", "registered",
        "telefono",
        "numero", "handy", "portable",
    ]

    /// Words naming other kinds of numbers; a digit string right after them is not a phone number.
    private static let otherNumberWords: Set<String> = [
        "license", "licence", "account", "acct", "order", "passport", "policy", "invoice", "reference", "ref",
        "ticket", "tracking", "id", "iban", "routing", "sort", "transaction", "case", "claim", "serial", "member",
        "customer", "booking", "confirmation", "card", "pin", "zip", "postcode", "code",
    ]

    private struct Candidate {
        var end: Int
        var groups: [Int] = []
        var separators: [Unicode.Scalar] = []
        var hasPlus = false
        var hasParens = false
        var hasExtension = false
        var digitCount: Int { groups.reduce(0, +) }
    }

    /// Returns every phone number in the text.
    func recognize(_ text: PIITextScanner) -> [PIISpan] {
        var spans: [PIISpan] = []
        var index = 0
        while index < text.count {
            let scalar = text.scalars[index]
            guard scalar == "+" || scalar == "(" || text.isDigit(index), Self.startsCleanly(text, index) else {
                index += 1
                continue
            }
            let candidate = Self.scan(text, from: index)
            if candidate.end > index, Self.accept(candidate, text, start: index) {
                spans.append(text.span(.phone, index..<candidate.end))
                index = candidate.end
            } else {
                index = max(index + 1, candidate.end)
            }
        }
        return spans
    }

    private static func startsCleanly(_ text: PIITextScanner, _ index: Int) -> Bool {
        guard let previous = text.at(index - 1) else { return true }
        if text.isAlphanumeric(index - 1) || previous == "+" { return false }
        if "-./,:".unicodeScalars.contains(previous) && text.isDigit(index - 2) { return false }
        return true
    }

    private static func scan(_ text: PIITextScanner, from start: Int) -> Candidate {
        var candidate = Candidate(end: start)
        var cursor = start
        var openParen = false
        if text.scalars[cursor] == "+" {
            candidate.hasPlus = true
            cursor += 1
        }
        while cursor < text.count {
            let scalar = text.scalars[cursor]
            if text.isDigit(cursor) {
                let runStart = cursor
                while text.isDigit(cursor) { cursor += 1 }
                candidate.groups.append(cursor - runStart)
                candidate.end = cursor
                if candidate.digitCount > 15 { return Candidate(end: cursor) }
            } else if scalar == "(" && !openParen && (text.isDigit(cursor + 1)) {
                openParen = true
                candidate.hasParens = true
                cursor += 1
            } else if scalar == ")" && openParen && text.isDigit(cursor - 1) {
                openParen = false
                cursor += 1
                if text.at(cursor) == " " && (text.isDigit(cursor + 1)) { cursor += 1 }
            } else if " -./".unicodeScalars.contains(scalar) && (text.isDigit(cursor - 1) || text.at(cursor - 1) == "+")
                && (text.isDigit(cursor + 1) || (text.at(cursor + 1) == "(" && scalar == " "))
            {
                candidate.separators.append(scalar)
                cursor += 1
            } else if scalar == "x" || scalar == "X", text.isDigit(cursor - 1), text.isDigit(cursor + 1),
                candidate.digitCount >= 7
            {
                var end = cursor + 1
                while text.isDigit(end) { end += 1 }
                guard end - cursor - 1 <= 5, !text.isAlphanumeric(end) else { break }
                candidate.hasExtension = true
                candidate.end = end
                break
            } else {
                break
            }
        }
        if text.isLetter(candidate.end) || (text.at(candidate.end) == "." && text.isDigit(candidate.end + 1)) {
            return Candidate(end: candidate.end)
        }
        return candidate
    }

    private static func accept(_ candidate: Candidate, _ text: PIITextScanner, start: Int) -> Bool {
        let digits = candidate.digitCount
        guard digits >= 6 && digits <= 15 else { return false }
        if looksLikeDate(candidate) || looksLikeAmount(candidate, text, start: start) { return false }
        if text.hasKeyword(before: start, in: otherNumberWords, count: 4) { return false }
        let context = hasContext(text, start: start, end: candidate.end)
        if !context && !candidate.hasPlus && isFollowedByName(text, candidate.end) { return false }
        if !context && !candidate.hasPlus && !candidate.hasParens && looksLikeHouseNumber(text, start, candidate.end) {
            return false
        }
        if candidate.separators.contains("/") && !context { return false }
        if digits == 6 { return context && candidate.groups.count >= 2 }
        if candidate.groups.count == 1 {
            if candidate.hasPlus { return digits >= 8 }
            return context || digits == 10 || digits == 11
        }
        if candidate.hasPlus || candidate.hasParens { return true }
        return digits >= 7
    }

    private static func hasContext(_ text: PIITextScanner, start: Int, end: Int) -> Bool {
        if text.hasKeyword(before: start, in: keywords, count: 3) { return true }
        var cursor = end
        while cursor < text.count && cursor < end + 3 && !text.isLetter(cursor) { cursor += 1 }
        guard text.isLetter(cursor) else { return false }
        let word = text.string(cursor..<text.wordEnd(from: cursor)).lowercased()
        return ["office", "fax", "mobile", "phone", "cell", "home", "work", "tel"].contains(word)
    }

    /// Rejects `1973-09-19`, `12/31/1984`, `19.05.2020` and similar when they lead the candidate.
    private static func looksLikeDate(_ candidate: Candidate) -> Bool {
        guard candidate.groups.count >= 3, candidate.separators.count >= 2, let separator = candidate.separators.first,
            separator != " ", candidate.separators[1] == separator
        else { return false }
        if candidate.separators.count >= 3 && candidate.separators[2] == separator { return false }
        let g = candidate.groups
        let yearFirst = g[0] == 4 && g[1] <= 2 && g[2] <= 2
        let yearLast = g[0] <= 2 && g[1] <= 2 && (g[2] == 4 || g[2] == 2)
        return yearFirst || yearLast
    }

    /// Rejects thousands-grouped amounts such as `1 250 000` or `12.500.000`.
    private static func looksLikeAmount(_ candidate: Candidate, _ text: PIITextScanner, start: Int) -> Bool {
        guard candidate.groups.count >= 2, !candidate.hasPlus, !candidate.hasParens,
            candidate.groups[0] <= 3, text.scalars[start] != "0",
            candidate.groups.dropFirst().allSatisfy({ $0 == 3 })
        else { return false }
        let currencyWords: Set<String> = ["usd", "eur", "gbp", "dollars", "euros", "pounds", "of", "transfer", "pay"]
        let previous = text.at(start - 1)
        if let previous, "$€£¥".unicodeScalars.contains(previous) { return true }
        return text.hasKeyword(before: start, in: currencyWords, count: 1)
    }

    /// True if a capitalized word (other than `I`) follows, as in `34286 48 Rue Ibn`.
    private static func isFollowedByName(_ text: PIITextScanner, _ end: Int) -> Bool {
        guard text.at(end) == " ", let first = text.at(end + 1), PIITextScanner.isUppercase(first) else { return false }
        let wordEnd = text.wordEnd(from: end + 1)
        return wordEnd - (end + 1) >= 2 && text.at(end + 2).map(PIITextScanner.isLowercase) == true
    }

    private static let addressCues: Set<String> = ["address", "suite", "apt", "unit", "box", "deliver"]

    /// Rejects `17266 51 rue de la Mare` and `80512 55 A. Diakou Street`: house numbers before a street name.
    private static func looksLikeHouseNumber(_ text: PIITextScanner, _ start: Int, _ end: Int) -> Bool {
        if text.hasKeyword(before: start, in: addressCues, count: 2) { return true }
        guard text.at(end) == " ", text.isLetter(end + 1) else { return false }
        let wordEnd = text.wordEnd(from: end + 1)
        let word = text.string((end + 1)..<wordEnd).lowercased()
        if wordEnd - end - 1 == 1 && text.at(wordEnd) == "." { return true }
        return StreetAddressLexicon.prefixes.contains(word) || StreetAddressLexicon.suffixes.contains(word)
    }
}

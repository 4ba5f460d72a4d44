import Foundation

/// Finds e-mail addresses, order numbers, amounts with a currency, and dates in a message.
///
/// Patterns are deliberately conservative (a bare number is not an order number unless an order keyword or an
/// order-style prefix marks it), so rules built on them fire rarely by mistake. Overlapping matches keep the
/// earliest, longest span.
public struct EntityExtractor: Sendable {
    /// Creates an extractor.
    public init() {}

    /// Returns the entities in `text`, ordered by position.
    public func extract(_ text: String) -> [Entity] {
        guard !text.isEmpty else { return [] }
        let bounded = text.utf16.count > 8_192 ? String(text.prefix(8_192)) : text
        // An e-mail address needs an `@`, and every other pattern a digit (`\d`, any decimal digit): most
        // messages have neither, and need no regular expression run at all.
        let hasAt = bounded.utf8.contains(UInt8(ascii: "@"))
        let hasDigit = bounded.unicodeScalars.contains { scalar in
            scalar.isASCII ? ("0"..."9").contains(scalar) : scalar.properties.generalCategory == .decimalNumber
        }
        guard hasAt || hasDigit else { return [] }
        let source = bounded as NSString
        var found: [Entity] = []
        for (kind, pattern) in Self.patterns where kind == .email ? hasAt : hasDigit {
            for match in pattern.matches(in: bounded, range: NSRange(location: 0, length: source.length)) {
                let span = source.substring(with: match.range)
                guard let value = Self.canonical(kind, match: match, in: source) else { continue }
                found.append(
                    Entity(
                        kind: kind, text: span, value: value,
                        utf16Range: match.range.location..<(match.range.location + match.range.length)))
            }
        }
        found.sort {
            $0.utf16Range.lowerBound != $1.utf16Range.lowerBound
                ? $0.utf16Range.lowerBound < $1.utf16Range.lowerBound : $0.utf16Range.count > $1.utf16Range.count
        }
        var kept: [Entity] = []
        for entity in found where !kept.contains(where: { $0.utf16Range.overlaps(entity.utf16Range) }) {
            kept.append(entity)
        }
        return kept
    }

    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let monthPattern =
        "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
        + "|nov(?:ember)?|dec(?:ember)?)"
    private static let currencySymbols: [String: String] = [
        "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY",
    ]
    private static let currencyWords =
        "usd|eur|gbp|jpy|chf|cad|aud|inr|cny|rub|sek|nok|dkk|pln|czk|try|krw|brl|mxn|dollars?|euros?|pounds?|bucks"

    /// Patterns tried in order; capture groups are read by ``canonical(_:match:in:)``.
    private static let patterns: [(Entity.Kind, NSRegularExpression)] = {
        func regex(_ pattern: String) -> NSRegularExpression {
            try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        }
        let amount = "(\\d{1,3}(?:[,. ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)"
        return [
            (.email, regex("(?<![\\w.+-])[\\w.+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}")),
            (
                .orderNumber,
                regex(
                    "(?:\\border\\s*(?:number|no\\.?|num|id)?\\s*(?:is\\s+|was\\s+)?[:#]?\\s*|#)"
                        + "((?:[A-Z]{1,4}-)?[A-Z0-9]*\\d[A-Z0-9-]{3,})\\b"
                        + "|\\b((?:ORD|ORDER|INV|PO|SO)[-_]?\\d[A-Z0-9-]{3,})\\b")
            ),
            (.money, regex("([$€£¥₹₽₩₺])\\s?\(amount)(?![\\d])|\(amount)\\s?([$€£¥₹₽₩₺]|\\b(?:\(currencyWords))\\b)")),
            (.date, regex("\\b(\\d{4})-(\\d{1,2})-(\\d{1,2})\\b")),
            (.date, regex("\\b(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4}|\\d{2})\\b")),
            (.date, regex("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?\(monthPattern)\\b\\.?(?:,?\\s+(\\d{4}))?")),
            (.date, regex("\\b\(monthPattern)\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?")),
        ]
    }()

    private static func group(_ match: NSTextCheckingResult, _ index: Int, in source: NSString) -> String? {
        guard index < match.numberOfRanges else { return nil }
        let range = match.range(at: index)
        return range.location == NSNotFound ? nil : source.substring(with: range)
    }

    private static func canonical(_ kind: Entity.Kind, match: NSTextCheckingResult, in source: NSString) -> String? {
        let whole = source.substring(with: match.range)
        switch kind {
        case .email:
            return whole.lowercased()
        case .orderNumber:
            return (group(match, 1, in: source) ?? group(match, 2, in: source))?.uppercased()
        case .money:
            return money(match, in: source)
        case .date:
            return date(match, in: source)
        }
    }

    private static func money(_ match: NSTextCheckingResult, in source: NSString) -> String? {
        let symbolFirst = group(match, 1, in: source)
        let amountText = symbolFirst != nil ? group(match, 2, in: source) : group(match, 3, in: source)
        let unit = symbolFirst ?? group(match, 4, in: source)
        guard let amountText, let unit else { return nil }
        let code: String
        if let symbolCode = currencySymbols[unit] {
            code = symbolCode
        } else {
            switch unit.lowercased() {
            case "dollar", "dollars", "bucks": code = "USD"
            case "euro", "euros": code = "EUR"
            case "pound", "pounds": code = "GBP"
            default: code = unit.uppercased()
            }
        }
        guard let amount = parseAmount(amountText) else { return nil }
        return String(format: "%.2f %@", amount, code)
    }

    /// Reads `1,234.50`, `1.234,50`, `12,5` and `12.50`: the last separator followed by 1-2 digits is decimal.
    static func parseAmount(_ text: String) -> Double? {
        let trimmed = text.replacingOccurrences(of: " ", with: "")
        guard let last = trimmed.lastIndex(where: { $0 == "." || $0 == "," }) else { return Double(trimmed) }
        let fraction = trimmed[trimmed.index(after: last)...]
        let whole = trimmed[..<last].filter(\.isNumber)
        if fraction.count <= 2 { return Double("\(whole).\(fraction)") }
        return Double(trimmed.filter(\.isNumber))
    }

    private static func date(_ match: NSTextCheckingResult, in source: NSString) -> String? {
        let parts = (1..<match.numberOfRanges).map { group(match, $0, in: source) }
        func monthNumber(_ name: String) -> Int? {
            months.firstIndex(of: String(name.lowercased().prefix(3))).map { $0 + 1 }
        }
        var year: Int?
        var month: Int?
        var day: Int?
        if let first = parts.first ?? nil, first.count == 4, let value = Int(first) {
            (year, month, day) = (value, parts[1].flatMap { Int($0) }, parts[2].flatMap { Int($0) })
        } else if let first = parts.first ?? nil, let number = Int(first), parts.count == 3,
            let second = parts[1], let secondNumber = Int(second), let third = parts[2], let yearValue = Int(third)
        {
            // Numeric d/m/y or m/d/y: read day-first unless the first number cannot be a day of the month order.
            let fullYear = third.count == 2 ? 2_000 + yearValue : yearValue
            if number > 12 {
                (day, month) = (number, secondNumber)
            } else if secondNumber > 12 {
                (month, day) = (number, secondNumber)
            } else {
                (day, month) = (number, secondNumber)
            }
            year = fullYear
        } else if let first = parts.first ?? nil, let number = Int(first) {
            (day, month, year) = (number, parts[1].flatMap(monthNumber), parts[2].flatMap { Int($0) })
        } else if let first = parts.first ?? nil {
            (month, day, year) = (monthNumber(first), parts[1].flatMap { Int($0) }, parts[2].flatMap { Int($0) })
        }
        guard let month, let day, (1...12).contains(month), (1...31).contains(day) else { return nil }
        if let year { return String(format: "%04d-%02d-%02d", year, month, day) }
        return String(format: "--%02d-%02d", month, day)
    }
}

/// Finds street addresses from street-type words, house numbers, unit designators and address cues,
/// then extends over following unit, city, state and postcode segments.
struct StreetAddressRecognizer: Sendable {
    private typealias Lexicon = StreetAddressLexicon

    /// Capitalized words that never start a street name.
    private static let nonNames: Set<String> = [
        "i", "i'd", "i'm", "i'll", "i've", "the", "a", "an", "my", "your", "our", "we", "you", "he", "she", "it",
        "they", "this", "that", "in", "on", "at", "for", "from", "to", "and", "or", "but", "dr", "mr", "mrs", "ms",
        "st", "during", "since", "until", "after", "before", "of", "is", "are", "was", "chapter", "page", "section",
        "article", "version", "windows", "iphone", "model", "step", "level", "room", "gate", "flight", "platform",
    ]

    /// Returns every street address in the tokenized text.
    func recognize(_ text: PIITextScanner, tokens: [PIIToken]) -> [PIISpan] {
        var cores: [ClosedRange<Int>] = []
        var index = 0
        while index < tokens.count {
            if let core = Self.core(at: index, tokens) {
                let extended = Self.extend(core, tokens)
                cores.append(extended)
                index = extended.upperBound + 1
            } else {
                index += 1
            }
        }
        return cores.map {
            text.span(.streetAddress, tokens[$0.lowerBound].range.lowerBound..<tokens[$0.upperBound].range.upperBound)
        }
    }

    // MARK: - Anchors

    private static func core(at index: Int, _ tokens: [PIIToken]) -> ClosedRange<Int>? {
        let token = tokens[index]
        if token.kind == .number {
            return numberLed(at: index, tokens)
        }
        guard token.kind == .word else { return nil }
        if let unit = unit(at: index, tokens) { return unit }
        if Lexicon.militaryOffices.contains(token.lower), index + 2 < tokens.count,
            tokens[index + 1].text.count == 2, tokens[index + 1].text == tokens[index + 1].text.uppercased(),
            tokens[index + 2].kind == .number
        {
            return index...(index + 2)
        }
        if ["usns", "uss", "usnv", "uscgc"].contains(token.lower), token.text == token.text.uppercased(),
            index + 1 < tokens.count, tokens[index + 1].isCapitalized
        {
            return index...(index + 1)
        }
        if token.isCapitalized || token.lower == "ul" || token.lower == "c" {
            if let prefixed = prefixLed(at: index, tokens) { return prefixed }
        }
        if token.isCapitalized, let named = nameLed(at: index, tokens) { return named }
        return nil
    }

    /// `Apt. 977`, `Suite 398`, `PSC 7904, Box 8757`.
    private static func unit(at index: Int, _ tokens: [PIIToken]) -> ClosedRange<Int>? {
        let token = tokens[index]
        guard token.isCapitalized || token.text == token.text.uppercased(),
            Lexicon.units.contains(token.lower) || token.lower == "psc"
        else { return nil }
        var next = index + 1
        if next < tokens.count && tokens[next].text == "." { next += 1 }
        guard next < tokens.count, tokens[next].kind == .number else { return nil }
        return index...next
    }

    /// `360 55 Rue Wanes Chbil`, `3236 Kooli 79`, `24 Church St`, `08023 42 Gladstonos`.
    private static func numberLed(at index: Int, _ tokens: [PIIToken]) -> ClosedRange<Int>? {
        var cursor = index
        while cursor + 1 < tokens.count && tokens[cursor + 1].kind == .number && cursor - index < 2 { cursor += 1 }
        let nameStart = cursor + 1
        guard nameStart < tokens.count,
            tokens[nameStart].isCapitalized || Lexicon.prefixes.contains(tokens[nameStart].lower),
            !nonNames.contains(tokens[nameStart].lower)
        else { return nil }
        if Lexicon.prefixes.contains(tokens[nameStart].lower) || tokens[nameStart].lower == "ul",
            let prefixed = prefixLed(at: nameStart, tokens)
        {
            return index...prefixed.upperBound
        }
        let nameEnd = nameRun(from: nameStart, tokens)
        if let last = suffixEnd(after: nameStart, upTo: nameEnd, tokens) { return index...last }
        if isMorphemeName(tokens, nameStart...nameEnd) || hasCue(before: index, tokens) {
            return index...numberAfter(nameEnd, tokens)
        }
        let after = nameEnd + 1
        if after < tokens.count, tokens[after].kind == .number, tokens[after].text.count <= 4 {
            return index...after
        }
        return nil
    }

    /// `Rue de Libya`, `Via Roma 12`, `ul. Okólna 133`, `C/ Libertad 29`.
    private static func prefixLed(at index: Int, _ tokens: [PIIToken]) -> ClosedRange<Int>? {
        let token = tokens[index]
        var next = index + 1
        if token.lower == "c" {
            guard next < tokens.count, tokens[next].text == "/" else { return nil }
            next += 1
        } else {
            guard Lexicon.prefixes.contains(token.lower) else { return nil }
            if token.lower == "ul" || token.lower == "al" {
                guard next < tokens.count, tokens[next].text == "." else { return nil }
                next += 1
            }
        }
        guard next < tokens.count else { return nil }
        var nameStart = next
        while nameStart < tokens.count && Lexicon.particles.contains(tokens[nameStart].lower)
            && nameStart - next < 2
        {
            nameStart += 1
        }
        guard nameStart < tokens.count, tokens[nameStart].isCapitalized else { return nil }
        let nameEnd = nameRun(from: nameStart, tokens)
        let end = numberAfter(nameEnd, tokens)
        let hasNumber = end > nameEnd || (index > 0 && tokens[index - 1].kind == .number)
        guard hasNumber || ["rue", "via", "calle", "rua", "travessa", "avenida"].contains(token.lower) else {
            return nil
        }
        return index...end
    }

    /// `Strickstrasse 61`, `Karlsängen 77` after a cue, `Linzer Strasse 69`, `Kooli 79 St.`.
    private static func nameLed(at index: Int, _ tokens: [PIIToken]) -> ClosedRange<Int>? {
        let nameEnd = nameRun(from: index, tokens)
        let after = nameEnd + 1
        guard !nonNames.contains(tokens[index].lower) else { return nil }
        guard after < tokens.count, tokens[after].kind == .number, tokens[after].text.count <= 4 else {
            let last = tokens[nameEnd]
            if nameEnd > index, last.isCapitalized, Lexicon.suffixes.contains(last.lower),
                !Lexicon.abbreviations.contains(last.lower), !Lexicon.weakSuffixes.contains(last.lower)
            {
                return index...nameEnd
            }
            return nil
        }
        if isMorphemeName(tokens, index...nameEnd) || suffixEnd(after: index, upTo: nameEnd, tokens) != nil
            || hasCue(before: index, tokens)
        {
            return index...after
        }
        return nil
    }

    // MARK: - Helpers

    /// Capitalized words and particles from `start`; returns the last word's index.
    private static func nameRun(from start: Int, _ tokens: [PIIToken]) -> Int {
        var end = start
        var cursor = start + 1
        while cursor < tokens.count && cursor - start < 6 {
            let token = tokens[cursor]
            if token.isCapitalized
                || (token.kind == .word && token.text == token.text.uppercased() && token.text.count > 1)
            {
                end = cursor
            } else if token.text == "." && Lexicon.suffixes.contains(tokens[cursor - 1].lower) {
                end = cursor
                break
            } else if !(token.kind == .word && Lexicon.particles.contains(token.lower)) {
                break
            }
            cursor += 1
        }
        return end
    }

    /// The index of a street-type suffix in the name (plus its abbreviation dot), if any.
    private static func suffixEnd(after start: Int, upTo end: Int, _ tokens: [PIIToken]) -> Int? {
        guard end > start else { return nil }
        for cursor in stride(from: end, to: start, by: -1) where Lexicon.suffixes.contains(tokens[cursor].lower) {
            if cursor + 1 < tokens.count && tokens[cursor + 1].text == "." { return cursor + 1 }
            return numberAfter(cursor, tokens)
        }
        if tokens[end].text == ".", end - 1 > start, Lexicon.suffixes.contains(tokens[end - 1].lower) { return end }
        return nil
    }

    /// Extends over a house number (and a trailing `St.`-style suffix) after `index`.
    private static func numberAfter(_ index: Int, _ tokens: [PIIToken]) -> Int {
        var next = index + 1
        if next < tokens.count && tokens[next].text == "." { next += 1 }
        guard next < tokens.count && tokens[next].kind == .number && tokens[next].text.count <= 5 else { return index }
        var end = next
        if end + 1 < tokens.count && tokens[end + 1].text == "." { end += 1 }
        if end + 1 < tokens.count, tokens[end + 1].isCapitalized, Lexicon.suffixes.contains(tokens[end + 1].lower) {
            end += 1
            if end + 1 < tokens.count && tokens[end + 1].text == "." { end += 1 }
        }
        return end
    }

    private static func isMorphemeName(_ tokens: [PIIToken], _ range: ClosedRange<Int>) -> Bool {
        tokens[range].contains { token in
            token.kind == .word
                && Lexicon.morphemes.contains { token.lower.hasSuffix($0) && token.lower.count >= $0.count + 2 }
        }
    }

    private static func hasCue(before index: Int, _ tokens: [PIIToken]) -> Bool {
        var cursor = index - 1
        var seen = 0
        while cursor >= 0 && seen < 6 {
            if tokens[cursor].kind == .word {
                if Lexicon.cues.contains(tokens[cursor].lower) { return true }
                seen += 1
            } else if tokens[cursor].kind == .number {
                seen += 1
            }
            cursor -= 1
        }
        return false
    }

    // MARK: - Extension

    /// Extends a core over following unit, city, state and postcode segments separated by commas or newlines.
    private static func extend(_ core: ClosedRange<Int>, _ tokens: [PIIToken]) -> ClosedRange<Int> {
        var end = core.upperBound
        var segments = 0
        while segments < 6 {
            var cursor = end + 1
            var separators = 0
            while cursor < tokens.count, tokens[cursor].kind == .newline || tokens[cursor].text == ",",
                separators < 3
            {
                cursor += 1
                separators += 1
            }
            guard cursor < tokens.count, let segmentEnd = segment(at: cursor, tokens, afterBreak: separators > 0) else {
                break
            }
            end = segmentEnd
            segments += 1
        }
        return core.lowerBound...end
    }

    /// One address segment: a unit, a postcode, a state code, or a place name ending the line.
    private static func segment(at index: Int, _ tokens: [PIIToken], afterBreak: Bool) -> Int? {
        let token = tokens[index]
        if let unit = unit(at: index, tokens) { return unit.upperBound }
        if token.kind == .number {
            guard (4...5).contains(token.text.count) || afterBreak == false && token.text.count <= 5 else { return nil }
            return endsLine(index, tokens) ? index : nil
        }
        guard afterBreak, token.kind == .word, token.isCapitalized || token.text == token.text.uppercased() else {
            return nil
        }
        var cursor = index
        while cursor + 1 < tokens.count && cursor - index < 4 {
            let next = tokens[cursor + 1]
            let isPlaceWord =
                next.kind == .word
                && (next.isCapitalized || next.text == next.text.uppercased() || next.lower == "nan"
                    || Lexicon.particles.contains(next.lower))
            let isApostrophe = next.text == "'" || next.text == "(" || next.text == ")"
            guard isPlaceWord || isApostrophe else { break }
            cursor += 1
        }
        if cursor + 1 < tokens.count, tokens[cursor + 1].kind == .number, tokens[cursor + 1].text.count <= 6 {
            cursor += 1
        }
        return endsLine(cursor, tokens) ? cursor : nil
    }

    private static func endsLine(_ index: Int, _ tokens: [PIIToken]) -> Bool {
        let next = index + 1
        guard next < tokens.count else { return true }
        return tokens[next].kind == .newline || tokens[next].text == "," || tokens[next].text == "."
            || tokens[next].text == "?" || tokens[next].text == "!"
            || (tokens[next].kind == .word && !tokens[next].isCapitalized
                && tokens[next].text != tokens[next].text.uppercased())
    }
}

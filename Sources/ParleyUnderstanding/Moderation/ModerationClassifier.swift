/// Detects profanity, harassment, threats and slurs, with a severity.
///
/// It is robust to common evasions: case,
/// accents, homoglyphs, zero-width characters, leetspeak (`sh1t`), spacing (`f u c k`), repeated letters
/// (`fuuuck`) and masking (`f*ck`). Whole words only, so `Scunthorpe` and `classic` are safe.
public struct ModerationClassifier: Sendable {
    private static let secondPerson: Set<String> = [
        "you", "your", "youre", "u", "ur", "yourself", "ya", "du", "tu", "vous", "te",
    ]

    /// Creates a classifier.
    public init() {}

    /// Assesses one text.
    public func assess(_ text: String) -> ModerationAssessment {
        guard !text.isEmpty else { return ModerationAssessment(severity: .none, categories: [], matches: []) }
        let folded = ModerationNormalizer.fold(text)
        var views = [ModerationNormalizer.words(folded)]
        if InjectionDetector.hasLeetspeak(text, minimumWords: 1) {
            views.append(ModerationNormalizer.words(ModerationNormalizer.fold(text, leet: true)))
        }
        var severity = ModerationSeverity.none
        var categories: Set<ModerationCategory> = []
        var matches: [String] = []
        var hitCount = 0
        for words in views {
            for (index, word) in words.enumerated() {
                guard let entry = Self.lookup(word) else { continue }
                var hitSeverity = entry.severity
                let window = words[max(0, index - 3)..<index]
                let targeted = window.contains(where: { Self.secondPerson.contains($0) })
                if ModerationLexicon.targetedOnly.contains(entry.term) && !targeted { continue }
                if entry.category == .harassment || entry.category == .profanity, targeted {
                    hitSeverity = hitSeverity.raised
                }
                severity = max(severity, hitSeverity)
                categories.insert(entry.category)
                if !matches.contains(entry.term) { matches.append(entry.term) }
                hitCount += 1
            }
            let prepared = PhraseWords(words)
            for rule in ModerationLexicon.phrases where rule.matches(prepared) {
                severity = max(severity, ModerationSeverity(rawValue: Int(rule.weight)) ?? .high)
                categories.insert(rule.category)
                if !matches.contains(rule.id) { matches.append(rule.id) }
            }
        }
        for token in folded.split(whereSeparator: { $0 == " " || $0.isNewline }) where token.contains("*") {
            if let entry = Self.maskedLookup(String(token)) {
                severity = max(severity, entry.severity)
                categories.insert(entry.category)
                if !matches.contains(entry.term) { matches.append(entry.term) }
                hitCount += 1
            }
        }
        if hitCount >= 3 && severity == .low { severity = .medium }
        return ModerationAssessment(severity: severity, categories: categories, matches: matches)
    }

    /// Looks a word up exactly, as a stem, and with runs of repeated letters squeezed.
    static func lookup(_ word: String) -> ModerationLexicon.Entry? {
        if let entry = ModerationLexicon.exact[word] { return entry }
        if let entry = ModerationLexicon.firstStem(of: word) { return entry }
        let squeezed = ModerationNormalizer.squeeze(word)
        if squeezed != word { return lookup(squeezed) }
        let single = singleLetters(word)
        return single != word ? ModerationLexicon.firstStem(of: single) : nil
    }

    /// Collapses every run of a repeated letter to one letter (`fuuck` → `fuck`).
    private static func singleLetters(_ word: String) -> String {
        var result = ""
        var previous: Character? = nil
        for character in word where character != previous {
            result.append(character)
            previous = character
        }
        return result
    }

    /// Matches a masked word such as `f*ck` or `sh**` against exact entries of the same length.
    static func maskedLookup(_ token: String) -> ModerationLexicon.Entry? {
        let characters = Array(token.filter { $0.isLetter || $0 == "*" })
        let letters = characters.filter(\.isLetter).count
        guard characters.count >= 3, letters >= 1, characters.first != "*" || characters.last != "*" else { return nil }
        for (term, entry) in ModerationLexicon.exact where term.count == characters.count && entry.severity >= .medium {
            let matchesMask = zip(term, characters).allSatisfy { $1 == "*" || $0 == $1 }
            if matchesMask { return entry }
        }
        for (stem, entry) in ModerationLexicon.stems where stem.count == characters.count {
            if zip(stem, characters).allSatisfy({ $1 == "*" || $0 == $1 }) { return entry }
        }
        return nil
    }
}

/// Finds person names from runs of capitalized words, using census name lists, honorifics, greetings
/// and "my name is"-style cues as evidence.
struct PersonNameRecognizer: Sendable {
    private typealias Lexicon = PersonNameLexicon

    private static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx", "dame", "lady", "lord", "herr", "frau",
        "sr", "sra", "mme", "mlle", "signor", "signora", "monsieur", "madame", "señor", "señora",
    ]
    private static let greetings: Set<String> = ["hi", "hello", "hey", "dear", "thanks", "regards", "cheers", "bye"]
    private static let cues: Set<String> = ["named", "called", "name", "signed", "am", "i'm", "by", "with"]
    private static let particles: Set<String> = [
        "van", "von", "den", "der", "de", "da", "di", "del", "della", "le", "la", "bin", "ibn", "al", "dos", "du",
    ]
    /// Capitalized words that are never names on their own.
    private static let stopWords: Set<String> = [
        "i", "i'm", "i'll", "i've", "i'd", "im", "as", "the", "a", "an", "this", "that", "these", "those", "my", "your",
        "our", "his", "her", "their", "we",
        "you", "he", "she", "it", "they", "me", "us", "them", "is", "are", "was", "were", "be", "do", "does", "did",
        "can", "could", "would", "should", "will", "may", "might", "must", "shall", "what", "when", "where", "who",
        "why", "how", "which", "yes", "no", "ok", "okay", "if", "in", "on", "at", "for", "from", "to", "with", "and",
        "but", "or", "so", "not", "just", "also", "please", "thanks", "thank", "hi", "hello", "hey", "dear", "sir",
        "madam", "mr", "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "card", "bank", "account", "visa", "mastercard", "paypal", "apple", "google",
        "amazon", "uber", "euro", "euros", "dollar", "dollars", "usd", "eur", "gbp", "atm", "pin", "iban", "swift",
        "sepa", "name", "phone", "email", "address", "street", "road", "date", "time", "mobile", "desk", "fax",
        "office", "personal", "info", "website", "suite", "apt", "unit", "box", "company", "inc", "ltd", "corp",
        "llc", "plc", "group", "holdings", "corporation", "bot", "ai", "assistant", "customer", "support", "team",
        "there", "here", "today", "tomorrow", "yesterday", "christmas", "easter", "god", "jesus", "english",
        "spanish", "french", "german", "italian", "chinese", "japanese", "america", "american", "europe", "asia",
        "africa", "australia", "canada", "mexico", "india", "china", "japan", "france", "germany", "spain", "italy",
        "london", "paris", "usa", "uk", "eu", "new", "york", "san", "los", "las", "st", "saint", "north", "south",
        "east", "west", "after", "before", "about", "all", "any", "some", "every", "each", "one", "two", "why",
        "hotel", "airport", "university", "college", "school", "hospital", "church", "city", "county", "state",
        "brazil", "portugal", "austria", "poland", "denmark", "norway", "sweden", "finland", "iceland", "ireland",
        "scotland", "wales", "england", "britain", "netherlands", "belgium", "switzerland", "greece", "cyprus",
        "turkey", "russia", "ukraine", "hungary", "romania", "bulgaria", "serbia", "croatia", "slovenia", "slovakia",
        "czech", "estonia", "latvia", "lithuania", "tunisia", "morocco", "egypt", "algeria", "nigeria", "kenya",
        "argentina", "chile", "peru", "colombia", "venezuela", "cuba", "korea", "vietnam", "thailand", "indonesia",
        "malaysia", "singapore", "philippines", "pakistan", "iran", "iraq", "israel", "greenland", "luxembourg",
        "monaco", "malta", "albania", "georgia", "armenia", "zealand", "princess", "prince", "king", "queen", "royal",
        "president", "minister", "senator", "governor", "mayor", "captain", "general", "professor", "doctor",
    ]
    /// Verbs that follow a person as subject: `Thygesen said`, `Ray Sobczak listed`.
    private static let personVerbsAfter: Set<String> = [
        "said", "says", "told", "asked", "lives", "lived", "listed", "explained", "spent", "wrote", "writes",
        "replied", "thinks", "believes", "added", "stated", "noted", "works", "worked", "married", "joined",
        "smiled", "laughed", "sang", "sings", "whispered", "shouted", "answered", "began", "begins",
    ]
    /// Words before a person: `says Thygesen`, `sung by Graham`, `features Tuga R Galić`.
    private static let personWordsBefore: Set<String> = [
        "says", "said", "by", "features", "featuring", "heard", "ask", "tell", "told", "and", "leave", "cc",
        "ms", "mr", "thanks", "congrats", "contact",
    ]
    /// Nouns after a possessive person: `Zoe's kid`, `Cynthia's daughter`.
    private static let possessedNouns: Set<String> = [
        "kid", "kids", "daughter", "son", "wife", "husband", "mother", "father", "mom", "dad", "brother", "sister",
        "address", "account", "phone", "email", "killers", "car", "house", "birthday", "friend", "boss", "family",
        "child", "children", "name", "number", "card", "novel", "book", "song", "album", "film",
    ]
    /// Line labels that are not speakers in a transcript.
    private static let labelWords: Set<String> = [
        "name", "phone", "email", "e-mail", "mail", "tel", "telephone", "web", "url", "personal", "address", "date",
        "note", "website", "mobile", "desk", "fax", "when", "where",
        "subject", "re", "from", "to", "cc", "warning", "error", "info", "status", "tip", "question", "answer",
        "summary", "update", "important", "system", "assistant", "user", "customer", "agent", "step", "time",
        "amount", "reference", "account", "card", "total", "price", "order", "location", "title", "company",
    ]

    private static let organizationWords: Set<String> = [
        "inc", "ltd", "corp", "corporation", "company", "co", "llc", "plc", "sa", "ag", "gmbh", "group", "holdings",
        "bank", "fund", "trust", "industries", "international", "technologies", "systems", "partners", "limited",
    ]

    /// Returns every person name in the tokenized text.
    func recognize(_ text: PIITextScanner, tokens: [PIIToken]) -> [PIISpan] {
        var runs: [ClosedRange<Int>] = []
        var index = 0
        while index < tokens.count {
            guard tokens[index].isCapitalized, !Self.stopWords.contains(tokens[index].lower) else {
                index += 1
                continue
            }
            let end = Self.run(from: index, tokens)
            if Self.isPerson(index...end, tokens) { runs.append(index...end) }
            index = end + 1
        }
        runs = Self.addListMembers(runs, tokens)
        return runs.map {
            text.span(.personName, tokens[$0.lowerBound].range.lowerBound..<tokens[$0.upperBound].range.upperBound)
        }
    }

    /// Adds single capitalized words listed next to a found name: `Polycarp, Emily, Lori and Carl`.
    private static func addListMembers(_ runs: [ClosedRange<Int>], _ tokens: [PIIToken]) -> [ClosedRange<Int>] {
        guard !runs.isEmpty else { return runs }
        var covered = Set(runs.flatMap { Array($0) })
        var result = runs
        var changed = true
        while changed {
            changed = false
            for index in tokens.indices where !covered.contains(index) && tokens[index].isCapitalized {
                guard !stopWords.contains(tokens[index].lower), !organizationWords.contains(tokens[index].lower) else {
                    continue
                }
                let joinerBefore = index >= 2 && [",", "and"].contains(tokens[index - 1].lower)
                let joinerAfter = index + 2 < tokens.count && [",", "and"].contains(tokens[index + 1].lower)
                let nameBefore = joinerBefore && covered.contains(index - 2)
                let nameAfter = joinerAfter && covered.contains(index + 2) && tokens[index + 2].isCapitalized
                if nameBefore || nameAfter {
                    result.append(index...index)
                    covered.insert(index)
                    changed = true
                }
            }
        }
        return result.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Extends a name run over capitalized words, initials and particles; returns the last name word's index.
    private static func run(from start: Int, _ tokens: [PIIToken]) -> Int {
        var end = start
        var cursor = start + 1
        var words = 1
        while cursor < tokens.count && words < 4 && cursor - start < 12 {
            let token = tokens[cursor]
            if token.isCapitalized && !stopWords.contains(token.lower) && !organizationWords.contains(token.lower) {
                end = cursor
                words += 1
            } else if token.isInitial {
                if cursor + 1 < tokens.count && tokens[cursor + 1].text == "." { cursor += 1 }
            } else if !(token.kind == .word && particles.contains(token.lower)) {
                break
            }
            cursor += 1
        }
        return end
    }

    private static func isPerson(_ range: ClosedRange<Int>, _ tokens: [PIIToken]) -> Bool {
        let words = tokens[range].filter(\.isCapitalized)
        guard let first = words.first, let last = words.last else { return false }
        if range.upperBound + 1 < tokens.count, organizationWords.contains(tokens[range.upperBound + 1].lower) {
            return false
        }
        if StreetAddressLexicon.suffixes.contains(last.lower) && words.count >= 2 { return false }
        if hasCue(before: range.lowerBound, tokens) || hasContextAfter(range, tokens) || isSpeakerLabel(range, tokens) {
            return true
        }
        if words.count >= 2 || !isSentenceStart(range.lowerBound, tokens),
            range.lowerBound > 0, personWordsBefore.contains(tokens[range.lowerBound - 1].lower),
            !StreetAddressLexicon.suffixes.contains(last.lower)
        {
            let lexiconHit = words.contains {
                Lexicon.firstNames.contains($0.lower) || Lexicon.lastNames.contains($0.lower)
            }
            if words.count >= 2 || lexiconHit || tokens[range.lowerBound - 1].lower != "and" { return true }
        }
        let knownFirst = Lexicon.firstNames.contains(first.lower) && !Lexicon.ambiguous.contains(first.lower)
        let knownLast = Lexicon.lastNames.contains(last.lower) && !Lexicon.ambiguous.contains(last.lower)
        let anyFirst = Lexicon.firstNames.contains(first.lower)
        if words.count >= 2 {
            if knownFirst || knownLast || (anyFirst && Lexicon.lastNames.contains(last.lower)) { return true }
            return isStandaloneLine(range, tokens)
        }
        if knownFirst { return true }
        let locative =
            range.lowerBound > 0
            && ["in", "from", "to", "at", "near", "of", "into"].contains(tokens[range.lowerBound - 1].lower)
        return knownLast && !isSentenceStart(range.lowerBound, tokens) && !locative
    }

    /// True if a person-subject verb or a possessive of a personal noun follows the run.
    private static func hasContextAfter(_ range: ClosedRange<Int>, _ tokens: [PIIToken]) -> Bool {
        let next = range.upperBound + 1
        guard next < tokens.count else { return false }
        if personVerbsAfter.contains(tokens[next].lower) { return true }
        if tokens[next].lower == "as", range.lowerBound > 0, tokens[range.lowerBound - 1].lower == "add" { return true }
        if tokens[next].text == "'" || tokens[next].text == "’", next + 2 < tokens.count, tokens[next + 1].lower == "s"
        {
            return possessedNouns.contains(tokens[next + 2].lower)
        }
        return false
    }

    /// A transcript speaker: a single name at a line start followed by a colon (`Drew: Remember me`).
    private static func isSpeakerLabel(_ range: ClosedRange<Int>, _ tokens: [PIIToken]) -> Bool {
        guard range.lowerBound == range.upperBound, range.upperBound + 1 < tokens.count,
            tokens[range.upperBound + 1].text == ":", !labelWords.contains(tokens[range.lowerBound].lower)
        else { return false }
        var before = range.lowerBound - 1
        while before >= 0 && tokens[before].kind == .punctuation { before -= 1 }
        guard before < 0 || tokens[before].kind == .newline else { return false }
        return before >= 0 || Lexicon.firstNames.contains(tokens[range.lowerBound].lower)
    }

    /// True if an honorific, a greeting or a naming phrase comes right before the run.
    private static func hasCue(before index: Int, _ tokens: [PIIToken]) -> Bool {
        var cursor = index - 1
        if cursor >= 0 && [".", ":", ",", "?"].contains(tokens[cursor].text) {
            cursor -= 1
        }
        guard cursor >= 0, tokens[cursor].kind == .word else { return false }
        let word = tokens[cursor].lower
        if honorifics.contains(word) || greetings.contains(word) { return true }
        if word == "is" && cursor >= 1 && tokens[cursor - 1].lower == "name" { return true }
        if word == "name" { return true }
        if word == "by" && tokens[cursor + 1].text == ":" { return true }
        let previous = cursor >= 1 ? tokens[cursor - 1].lower : ""
        if ["him", "her", "them", "me", "us"].contains(word) && ["named", "called", "calls", "call"].contains(previous)
        {
            return true
        }
        return cues.contains(word) && word != "by" && word != "with"
    }

    private static func isSentenceStart(_ index: Int, _ tokens: [PIIToken]) -> Bool {
        guard index > 0 else { return true }
        let previous = tokens[index - 1]
        return previous.kind == .newline || [".", "!", "?", ":", "\"", "}", "("].contains(previous.text)
    }

    /// A line holding only the name, as at the top of a signature or an address block.
    private static func isStandaloneLine(_ range: ClosedRange<Int>, _ tokens: [PIIToken]) -> Bool {
        var before = range.lowerBound - 1
        while before >= 0 && tokens[before].kind == .punctuation { before -= 1 }
        let after = range.upperBound + 1
        let startsLine = before < 0 || tokens[before].kind == .newline
        let endsLine = after >= tokens.count || tokens[after].kind == .newline
        return startsLine && endsLine && (before >= 0 || after < tokens.count)
    }
}

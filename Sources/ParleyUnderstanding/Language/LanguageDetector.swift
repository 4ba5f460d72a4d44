import Foundation

/// Identifies the language of short chat messages.
///
/// Detection runs in two stages: the dominant script of the letters decides alone where one language owns the
/// script (Kana → `ja`, Han → `zh`, Hangul → `ko`, Thai, Hebrew, Greek, Devanagari → `hi`, …); for Latin,
/// Cyrillic and Arabic script a naive-Bayes classifier over character 1-3-grams scores the candidate languages
/// with the shipped langdetect profiles (see `scripts/language/build-language-profiles.py`).
public struct LanguageDetector: Sendable {
    /// The languages decided by n-gram profiles by default: the most used web languages of each shared script.
    public static let defaultLanguages: Set<String> = [
        "en", "es", "de", "fr", "pt", "it", "nl", "pl", "tr", "vi", "id", "cs", "sv", "ru", "uk", "ar", "fa",
    ]

    /// Every language the shipped profiles cover (a superset of ``defaultLanguages``).
    public static var availableLanguages: Set<String> { Set(LanguageProfiles.shipped.languages) }

    private let profiles: LanguageProfiles
    private let enabled: [Bool]
    private static let normalizer = TextNormalizer()

    /// Creates a detector that chooses among `languages` for Latin, Cyrillic and Arabic script (codes without a
    /// shipped profile are ignored; languages identified by script alone are always on).
    public init(languages: Set<String> = LanguageDetector.defaultLanguages) {
        profiles = LanguageProfiles.shipped
        enabled = profiles.languages.map { languages.contains($0) }
    }

    /// Returns the most likely language of `text`.
    public func detect(_ text: String) -> LanguageGuess {
        let normalized = Self.normalizer.normalize(text)
        let histogram = ScriptClassifier.histogram(normalized)
        let letters = histogram.values.reduce(0, +)
        guard letters > 0 else {
            return LanguageGuess(language: LanguageGuess.undetermined, confidence: 0, script: nil)
        }
        // Han and Kana share texts (Japanese mixes them); each CJK character carries about a word of information.
        let kana = histogram[.kana, default: 0]
        let han = histogram[.han, default: 0]
        var weighted = histogram
        weighted[.han] = nil
        weighted[.kana] = nil
        if han + kana > 0 { weighted[kana > 0 ? .kana : .han] = 3 * (han + kana) }
        let weightedTotal = Double(weighted.values.reduce(0, +))
        let (script, count) = weighted.max { lhs, rhs in
            lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key.rawValue > rhs.key.rawValue
        }!
        let share = Double(count) / weightedTotal
        if let language = Self.singleLanguage(of: script) {
            return LanguageGuess(language: language, confidence: share, script: script)
        }
        let candidates = profiles.languages.indices.filter { enabled[$0] && profiles.scripts[$0] == script }
        guard !candidates.isEmpty else {
            return LanguageGuess(language: LanguageGuess.undetermined, confidence: 0, script: script)
        }
        let scores = score(normalized, candidates: candidates)
        guard let probabilities = scores else {
            let fallback = profiles.languages[candidates[0]]
            return LanguageGuess(language: fallback, confidence: share / Double(candidates.count), script: script)
        }
        let ranked = candidates.indices.sorted { probabilities[$0] > probabilities[$1] }
        return LanguageGuess(
            language: profiles.languages[candidates[ranked[0]]],
            confidence: probabilities[ranked[0]] * share,
            script: script,
            alternatives: ranked.prefix(3).map {
                LanguageGuess.Alternative(language: profiles.languages[candidates[$0]], probability: probabilities[$0])
            }
        )
    }

    /// The language that owns `script` alone, if any.
    static func singleLanguage(of script: Script) -> String? {
        switch script {
        case .han: return "zh"
        case .kana: return "ja"
        case .hangul: return "ko"
        case .thai: return "th"
        case .hebrew: return "he"
        case .greek: return "el"
        case .devanagari: return "hi"
        case .bengali: return "bn"
        case .georgian: return "ka"
        case .armenian: return "hy"
        case .latin, .cyrillic, .arabic, .other: return nil
        }
    }

    /// Maps letters to the form langdetect's profiles were counted in (Farsi yeh as Arabic yeh, Romanian comma
    /// below as cedilla).
    static func profileForm(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x06CC: return "\u{064A}"
        case 0x0219: return "\u{015F}"
        case 0x021B: return "\u{0163}"
        default: return scalar
        }
    }

    /// Returns posterior probabilities over `candidates`, or `nil` when the text has no known n-gram.
    private func score(_ normalized: String, candidates: [Int]) -> [Double]? {
        // Letters only, each word padded with spaces, as langdetect's profiles were counted.
        var scalars: [Unicode.Scalar] = [" "]
        for original in normalized.precomposedStringWithCanonicalMapping.unicodeScalars {
            let scalar = Self.profileForm(original)
            if scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark {
                scalars.append(scalar)
            } else if scalars.last != " " {
                scalars.append(" ")
            }
        }
        if scalars.last != " " { scalars.append(" ") }
        let languageCount = profiles.languages.count
        var totals = [Double](repeating: 0, count: candidates.count)
        var matched = 0
        for start in scalars.indices {
            var gram: UInt64 = 0  // the scalars from `start`, packed as `LanguageProfiles.packed` packs them
            for length in 1...3 where start + length <= scalars.count {
                gram |= UInt64(scalars[start + length - 1].value) << (21 * UInt64(length - 1))
                if length == 1, scalars[start] == " " { continue }
                guard let row = profiles.packedRows.row(gram).map(Int.init) else { continue }
                matched += 1
                let base = row * languageCount
                for (position, language) in candidates.enumerated() {
                    totals[position] += Double(profiles.logProbabilities[base + language])
                }
            }
        }
        guard matched > 0 else { return nil }
        // Naive Bayes treats overlapping grams as independent and is over-confident; temper by the gram count.
        let temperature = max(1, Double(matched).squareRoot())
        let maximum = totals.max()!
        let exponentials = totals.map { exp(($0 - maximum) / temperature) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }
}

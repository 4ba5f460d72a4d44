/// PostgreSQL's built-in text-search configurations, by language.
enum PostgresTextSearch {
    /// The configuration for an ISO 639-1 language code (a BCP 47 tag's language part is used); `simple` (no stemming,
    /// no stop words) for a language PostgreSQL has no configuration for, or none.
    static func configuration(for language: String?) -> String {
        guard let language else { return "simple" }
        let code = language.lowercased().split(separator: "-").first.map(String.init) ?? ""
        return byLanguage[code] ?? "simple"
    }

    /// The configurations PostgreSQL 15 and 16 ship, by language code.
    static let byLanguage: [String: String] = [
        "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
        "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
        "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
        "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian",
        "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
        "yi": "yiddish",
    ]
}

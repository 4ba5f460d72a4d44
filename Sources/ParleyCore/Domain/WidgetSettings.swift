import Foundation

/// How a tenant's chat widget looks and behaves: branding, its words in each language, consent and proactive
/// triggers.
///
/// Every field has a default, so a tenant that never set anything still gets a working widget; a settings
/// document with only some fields keeps the defaults for the others.
public struct WidgetSettings: Sendable, Codable, Equatable {
    /// The accent colour, as `#rrggbb`.
    public var color = "#4f46e5"
    /// The colour of text on the accent colour, as `#rrggbb`.
    public var textColor = "#ffffff"
    /// Which bottom corner the launcher sits in: `right` or `left`.
    public var position = "right"
    /// An `https` (or, in development, `http`) URL of the logo shown in the panel's header.
    public var logoURL: String?
    /// The widget's words per language code; missing words fall back to `defaultLocale`, then to English.
    public var strings: [String: WidgetStrings] = [:]
    /// The language shown when the visitor's is not in `strings`.
    public var defaultLocale = "en"
    /// When true, the widget keeps nothing in the browser until the visitor consents.
    public var consentRequired = false
    /// Proactive messages shown after some time on matching pages.
    public var triggers: [WidgetTrigger] = []
    /// Whether visitors may attach images and PDFs (off until a tenant turns it on: files take storage).
    public var uploadsEnabled = false
    /// The largest file a visitor may attach, in bytes (the server's own cap applies too).
    public var uploadMaxBytes = 5 << 20
    /// The secret the tenant's backend signs visitor identities with, sealed with the server key; never returned.
    public var sealedIdentitySecret: String?

    /// Settings with every default.
    public init() {}

    /// Most triggers a tenant may define.
    public static let maxTriggers = 20

    /// What is wrong with the settings, one readable sentence each; empty when they are valid.
    public func problems() -> [String] {
        var problems: [String] = []
        for (name, value) in [("color", color), ("text_color", textColor)] where !Self.isHexColor(value) {
            problems.append("\(name) must be a colour like #4f46e5")
        }
        if !["right", "left"].contains(position) { problems.append("position must be right or left") }
        if let logoURL, !Self.isWebURL(logoURL) { problems.append("logo_url must be an http or https URL") }
        if !Self.isLocale(defaultLocale) { problems.append("default_locale must be a language code such as en") }
        if strings.count > 40 { problems.append("strings takes at most 40 languages") }
        for (locale, words) in strings {
            if !Self.isLocale(locale) { problems.append("'\(locale)' in strings is not a language code") }
            problems += words.problems().map { "strings.\(locale): \($0)" }
        }
        if !(1_024...(50 << 20)).contains(uploadMaxBytes) {
            problems.append("upload_max_bytes must be between 1024 and 52428800")
        }
        if triggers.count > Self.maxTriggers { problems.append("at most \(Self.maxTriggers) triggers") }
        if Set(triggers.map(\.id)).count != triggers.count { problems.append("trigger ids must be unique") }
        for trigger in triggers { problems += trigger.problems().map { "trigger \(trigger.id): \($0)" } }
        return problems
    }

    /// The words for `locale`: its own, then the default language's, then English, word by word.
    public func words(for locale: String) -> WidgetStrings {
        var words = WidgetStrings.english
        for fallback in [defaultLocale, locale] {
            if let own = strings[fallback] { words.merge(own) }
        }
        return words
    }

    static func isHexColor(_ value: String) -> Bool {
        value.count == 7 && value.first == "#" && value.dropFirst().allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    static func isWebURL(_ value: String) -> Bool {
        guard value.count <= 2_048, let url = URL(string: value), let scheme = url.scheme?.lowercased() else {
            return false
        }
        return (scheme == "https" || scheme == "http") && url.host != nil
    }

    static func isLocale(_ value: String) -> Bool {
        (2...8).contains(value.count) && value.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-") }
    }

    enum CodingKeys: String, CodingKey {
        case color, position, strings, triggers
        case textColor = "text_color"
        case logoURL = "logo_url"
        case defaultLocale = "default_locale"
        case consentRequired = "consent_required"
        case sealedIdentitySecret = "sealed_identity_secret"
        case uploadsEnabled = "uploads_enabled"
        case uploadMaxBytes = "upload_max_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = WidgetSettings()
        color = try container.decodeIfPresent(String.self, forKey: .color) ?? defaults.color
        textColor = try container.decodeIfPresent(String.self, forKey: .textColor) ?? defaults.textColor
        position = try container.decodeIfPresent(String.self, forKey: .position) ?? defaults.position
        logoURL = try container.decodeIfPresent(String.self, forKey: .logoURL)
        strings = try container.decodeIfPresent([String: WidgetStrings].self, forKey: .strings) ?? [:]
        defaultLocale = try container.decodeIfPresent(String.self, forKey: .defaultLocale) ?? defaults.defaultLocale
        consentRequired = try container.decodeIfPresent(Bool.self, forKey: .consentRequired) ?? false
        triggers = try container.decodeIfPresent([WidgetTrigger].self, forKey: .triggers) ?? []
        sealedIdentitySecret = try container.decodeIfPresent(String.self, forKey: .sealedIdentitySecret)
        uploadsEnabled = try container.decodeIfPresent(Bool.self, forKey: .uploadsEnabled) ?? false
        uploadMaxBytes = try container.decodeIfPresent(Int.self, forKey: .uploadMaxBytes) ?? defaults.uploadMaxBytes
    }
}

/// A writing system, as far as language identification and tokenisation need to tell them apart.
public enum Script: String, Sendable, Codable, CaseIterable {
    case latin
    case cyrillic
    case greek
    case arabic
    case hebrew
    case devanagari
    case bengali
    case thai
    case han
    case kana
    case hangul
    case georgian
    case armenian
    case other
}

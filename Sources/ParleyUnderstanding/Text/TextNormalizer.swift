import Foundation

/// Normalises raw chat text before feature extraction.
///
/// Normalisation folds full-width forms to ASCII, lower-cases, optionally strips diacritics, and collapses runs of
/// white space and control characters into a single space. ASCII text takes a fast path with no allocation per
/// character.
public struct TextNormalizer: Sendable, Codable, Hashable {
    /// Whether accents are removed (`café` becomes `cafe`).
    public var stripsDiacritics: Bool
    /// Texts longer than this many Unicode scalars are truncated before processing.
    public var maximumScalars: Int

    /// Creates a normaliser.
    public init(stripsDiacritics: Bool = false, maximumScalars: Int = 4_096) {
        self.stripsDiacritics = stripsDiacritics
        self.maximumScalars = maximumScalars
    }

    /// Returns the normalised form of `text`.
    public func normalize(_ text: String) -> String {
        var source = text
        if stripsDiacritics {
            let decomposed = text.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
                $0.properties.generalCategory != .nonspacingMark
            }
            source = String(String.UnicodeScalarView(decomposed))
        }
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        var consumed = 0
        for original in source.unicodeScalars {
            consumed += 1
            if consumed > maximumScalars { break }
            var scalar = original
            // Full-width ASCII (U+FF01…U+FF5E) and the ideographic space fold to ASCII.
            if (0xFF01...0xFF5E).contains(scalar.value), let narrow = Unicode.Scalar(scalar.value - 0xFEE0) {
                scalar = narrow
            } else if scalar.value == 0x3000 {
                scalar = " "
            }
            if scalar.value < 0x80 {
                if scalar.value <= 0x20 || scalar.value == 0x7F {
                    pendingSpace = !output.isEmpty
                    continue
                }
                if pendingSpace {
                    output.append(" ")
                    pendingSpace = false
                }
                if (0x41...0x5A).contains(scalar.value), let lower = Unicode.Scalar(scalar.value + 0x20) {
                    output.append(lower)
                } else {
                    output.append(scalar)
                }
                continue
            }
            let properties = scalar.properties
            if properties.isWhitespace || properties.generalCategory == .control
                || properties.generalCategory == .format
            {
                // Zero-width joiners inside emoji sequences and Persian words are kept; other format marks split.
                if scalar.value == 0x200C || scalar.value == 0x200D {
                    output.append(scalar)
                } else {
                    pendingSpace = !output.isEmpty
                }
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            if properties.changesWhenLowercased {
                output.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }
}

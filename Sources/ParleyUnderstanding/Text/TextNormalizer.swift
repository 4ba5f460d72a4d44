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
        // UTF-8 bytes, made into a string once: appending to a `String.UnicodeScalarView` a scalar at a time costs
        // several times more.
        var output: [UInt8] = []
        output.reserveCapacity(source.utf8.count)
        func append(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 {
                output.append(UInt8(scalar.value))
            } else {
                output.append(contentsOf: scalar.utf8)
            }
        }
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
                    output.append(0x20)
                    pendingSpace = false
                }
                let byte = UInt8(scalar.value)
                output.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
                continue
            }
            let properties = scalar.properties
            if properties.isWhitespace || properties.generalCategory == .control
                || properties.generalCategory == .format
            {
                // Zero-width joiners inside emoji sequences and Persian words are kept; other format marks split.
                if scalar.value == 0x200C || scalar.value == 0x200D {
                    append(scalar)
                } else {
                    pendingSpace = !output.isEmpty
                }
                continue
            }
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            if properties.changesWhenLowercased {
                for lower in properties.lowercaseMapping.unicodeScalars { append(lower) }
            } else {
                append(scalar)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// A sentence-like unit of text together with the whitespace that followed it in the source.
///
/// Concatenating `text + separator` over consecutive segments gives back the source text (after its leading
/// whitespace), so chunks built from segments keep the source's newlines, lists and paragraphs as written.
struct TextSegment: Sendable, Equatable {
    /// The unit's text, without leading or trailing whitespace.
    var text: String
    /// The whitespace that followed the unit in the source (empty for the last unit).
    var separator: String

    /// Creates a segment.
    init(_ text: String, separator: String = "") {
        self.text = text
        self.separator = separator
    }

    /// Joins consecutive segments as they stood in the source, dropping the last one's separator.
    static func join(_ segments: some Collection<TextSegment>) -> String {
        var result = ""
        for (offset, segment) in segments.enumerated() {
            result += segment.text
            if offset < segments.count - 1 { result += segment.separator }
        }
        return result
    }
}

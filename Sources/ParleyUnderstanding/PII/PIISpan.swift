/// One detected piece of PII, located by Unicode scalar offsets into the scanned text.
public struct PIISpan: Sendable, Hashable {
    /// What kind of PII this is.
    public let type: PIIType
    /// Half-open range of Unicode scalar offsets (Python `str` indices) in the original text.
    public let range: Range<Int>
    /// The matched text, exactly as it appears in the input.
    public let value: String

    /// Creates a span.
    public init(type: PIIType, range: Range<Int>, value: String) {
        self.type = type
        self.range = range
        self.value = value
    }
}

/// Rewrites the PII in a text according to a per-type mode; types without a mode are left as they are.
public struct PIIRedactor: Sendable {
    /// The mode for each redacted type.
    public let modes: [PIIType: RedactionMode]
    private let detector: PIIDetector
    private let hasher: PIIHasher

    /// Creates a redactor; `hashKey` keys the `.hash` mode and should be a deployment secret.
    public init(modes: [PIIType: RedactionMode] = Self.defaultModes, hashKey: [UInt8] = []) {
        self.modes = modes
        self.detector = PIIDetector(enabled: Set(modes.keys))
        self.hasher = PIIHasher(key: hashKey)
    }

    /// Every type masked with its tag.
    public static var defaultModes: [PIIType: RedactionMode] {
        Dictionary(uniqueKeysWithValues: PIIType.allCases.map { ($0, RedactionMode.tag) })
    }

    /// Redacts `text`, continuing the numbering of `placeholders` from earlier turns of a conversation.
    public func redact(_ text: String, placeholders: PlaceholderMap = PlaceholderMap()) -> RedactionResult {
        let spans = detector.detect(in: text)
        var map = placeholders
        var output = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var cursor = 0
        for span in spans {
            output.append(contentsOf: scalars[cursor..<span.range.lowerBound])
            let replacement: String
            switch modes[span.type] ?? .tag {
            case .tag: replacement = "[\(span.type.tag)]"
            case .partial: replacement = Self.partialMask(span)
            case .hash: replacement = "[\(span.type.tag):\(hasher.hash(Self.canonical(span)))]"
            case .placeholder: replacement = map.placeholder(for: span.value, type: span.type)
            }
            output.append(contentsOf: replacement.unicodeScalars)
            cursor = span.range.upperBound
        }
        output.append(contentsOf: scalars[cursor...])
        return RedactionResult(text: String(output), spans: spans, placeholders: map)
    }

    /// The value normalised so that `4242 4242 4242 4242` and `4242-4242-4242-4242` hash the same.
    static func canonical(_ span: PIISpan) -> String {
        switch span.type {
        case .paymentCard, .phone, .ssn, .iban:
            return span.value.filter { $0.isLetter || $0.isNumber }.uppercased()
        default:
            return span.value.lowercased()
        }
    }

    /// Keeps just enough to recognise the value: last four digits, an e-mail's domain, a name's initials.
    static func partialMask(_ span: PIISpan) -> String {
        let value = span.value
        switch span.type {
        case .paymentCard:
            return "**** " + String(value.filter(\.isNumber).suffix(4))
        case .iban:
            let compact = value.filter { $0.isLetter || $0.isNumber }
            return String(compact.prefix(2)).uppercased() + "** **** " + String(compact.suffix(4))
        case .ssn:
            return "***-**-" + String(value.filter(\.isNumber).suffix(4))
        case .phone:
            let keep = 4
            var remaining = value.filter(\.isNumber).count
            return String(
                value.map { character in
                    guard character.isNumber else { return character }
                    remaining -= 1
                    return remaining < keep ? character : "*"
                })
        case .email:
            guard let at = value.firstIndex(of: "@"), let first = value.first else { return "[EMAIL]" }
            return String(first) + "***" + value[at...]
        case .personName:
            return value.split(separator: " ").compactMap { $0.first.map { String($0) + "." } }.joined(separator: " ")
        case .ipAddress, .streetAddress, .dateOfBirth:
            return "[\(span.type.tag)]"
        }
    }
}

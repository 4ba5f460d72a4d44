/// Detects PII in free text with hand-written, linear-time scanners (no regular expressions).
///
/// Overlapping detections are resolved by type priority (e-mail, IBAN, card, SSN, IP, address, phone,
/// date of birth, person), then by length.
public struct PIIDetector: Sendable {
    /// The types this detector reports.
    public let enabled: Set<PIIType>

    /// Creates a detector reporting only `enabled` types.
    public init(enabled: Set<PIIType> = .all) {
        self.enabled = enabled
    }

    /// Returns non-overlapping PII spans in `text`, ordered by position.
    public func detect(in text: String) -> [PIISpan] {
        guard !text.isEmpty, !enabled.isEmpty else { return [] }
        let scanner = PIITextScanner(text)
        var candidates: [PIISpan] = []
        if enabled.contains(.email) { candidates += EmailRecognizer().recognize(scanner) }
        if enabled.contains(.iban) { candidates += IBANRecognizer().recognize(scanner) }
        if enabled.contains(.paymentCard) { candidates += PaymentCardRecognizer().recognize(scanner) }
        if enabled.contains(.ssn) { candidates += SSNRecognizer().recognize(scanner) }
        if enabled.contains(.ipAddress) { candidates += IPAddressRecognizer().recognize(scanner) }
        if enabled.contains(.phone) { candidates += PhoneRecognizer().recognize(scanner) }
        let needsTokens = !enabled.isDisjoint(with: [.streetAddress, .personName, .dateOfBirth])
        if needsTokens {
            let tokens = PIIToken.tokenize(scanner)
            if enabled.contains(.streetAddress) {
                candidates += StreetAddressRecognizer().recognize(scanner, tokens: tokens)
            }
            if enabled.contains(.dateOfBirth) {
                candidates += DateOfBirthRecognizer().recognize(scanner, tokens: tokens)
            }
            if enabled.contains(.personName) { candidates += PersonNameRecognizer().recognize(scanner, tokens: tokens) }
        }
        return Self.resolveOverlaps(candidates)
    }

    /// Keeps the highest-priority (then longest) span wherever candidates overlap.
    static func resolveOverlaps(_ candidates: [PIISpan]) -> [PIISpan] {
        let ranked = candidates.sorted {
            if $0.type.priority != $1.type.priority { return $0.type.priority > $1.type.priority }
            if $0.range.count != $1.range.count { return $0.range.count > $1.range.count }
            return $0.range.lowerBound < $1.range.lowerBound
        }
        var kept: [PIISpan] = []
        for span in ranked where !kept.contains(where: { $0.range.overlaps(span.range) }) {
            kept.append(span)
        }
        return kept.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}

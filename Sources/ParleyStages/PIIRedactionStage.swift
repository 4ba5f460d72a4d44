import ParleyCore
import ParleyUnderstanding

/// Replaces personal data in the text later stages, model providers and logs see.
public struct PIIRedactionStage: Stage {
    public static let manifest = StageManifest(
        id: "pii-redaction",
        version: "1.0.0",
        description: "Redacts emails, phones, cards, IBANs, SSNs, IPs, addresses, names and birth dates.",
        placement: Placement(before: ["fallback"]),
        isBuiltIn: true
    )

    /// Which types to redact, and how.
    public struct Settings: StageSettings {
        /// `tag` (`[EMAIL]`), `partial` (`**** 4242`), `hash` (keyed) or `placeholder` (`[CARD_1]`, reversible).
        public var mode = "tag"
        /// The types to redact; the others are left as they are.
        public var types = PIIType.allCases.map(\.rawValue)
        /// Whether the customer message keeps its original text in storage; off by default, so that once the turn
        /// ends only the redacted text is kept.
        public var storeOriginal = false

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            if Self.mode(mode) == nil { problems.append("mode must be tag, partial, hash or placeholder") }
            for name in types where PIIType(rawValue: name) == nil {
                let known = PIIType.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("unknown PII type '\(name)' (known: \(known))")
            }
            return problems
        }

        static func mode(_ name: String) -> RedactionMode? {
            ["tag": .tag, "partial": .partial, "hash": .hash, "placeholder": .placeholder][name]
        }
    }

    private let redactor: PIIRedactor

    private let storeOriginal: Bool

    public init(settings: Settings) {
        storeOriginal = settings.storeOriginal
        let mode = Settings.mode(settings.mode) ?? .tag
        let types = settings.types.compactMap(PIIType.init(rawValue:))
        redactor = PIIRedactor(modes: Dictionary(uniqueKeysWithValues: types.map { ($0, mode) }))
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let result = redactor.redact(turn.text)
        guard !result.spans.isEmpty else { return .continue }
        turn.text = result.text
        if !storeOriginal { turn.storedText = result.text }
        let found = Set(result.spans.map(\.type.rawValue)).sorted()
        turn.extensions["pii.types"] = .array(found.map { .string($0) })
        return .continue(because: "redacted \(result.spans.count) value(s): \(found.joined(separator: ", "))")
    }
}

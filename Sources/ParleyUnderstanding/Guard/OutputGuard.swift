/// Checks a reply before the visitor sees it: personal data the model produced, leaked instructions, and
/// answers that stray from the tenant's knowledge.
///
/// Personal data that appears in the grounding texts (the business's own contact details in its documents) is
/// the business's to share and is kept; anything else the detector finds is replaced by its tag (`[EMAIL]`).
/// A reply that repeats a run of the protected instructions is blocked, and so, when the tenant asks for it, is a
/// reply that cites nothing and shares too few words with the passages, the question and the allowed topics.
public struct OutputGuard: Sendable {
    /// What the guard enforces.
    public struct Policy: Sendable, Equatable {
        /// The personal data types redacted from replies.
        public var redactedTypes: Set<PIIType>
        /// Whether replies that repeat the protected instructions are blocked.
        public var blocksLeakage: Bool
        /// Whether replies that stray from the knowledge and allowed topics are blocked.
        public var blocksOffTopic: Bool
        /// The least share of a reply's words found in the grounding texts for it to count as on topic.
        public var minimumGrounding: Double

        /// Makes a policy.
        public init(
            redactedTypes: Set<PIIType> = Set(PIIType.allCases), blocksLeakage: Bool = true,
            blocksOffTopic: Bool = false, minimumGrounding: Double = 0.3
        ) {
            self.redactedTypes = redactedTypes
            self.blocksLeakage = blocksLeakage
            self.blocksOffTopic = blocksOffTopic
            self.minimumGrounding = minimumGrounding
        }
    }

    /// The policy in force.
    public let policy: Policy
    private let detector: PIIDetector
    private let leakage: LeakageDetector
    private let groundingLowercased: String
    private let groundingDigits: String
    private let groundingWords: Set<String>

    /// Makes a guard for one reply.
    ///
    /// - Parameters:
    ///   - protected: texts the reply must never repeat, such as the model's instructions.
    ///   - grounding: what the reply may draw on: the passages, the question, the allowed topics.
    public init(policy: Policy, protected: [String], grounding: [String]) {
        self.init(
            policy: policy, leakage: LeakageDetector(protecting: policy.blocksLeakage ? protected : []),
            grounding: grounding)
    }

    /// Makes a guard for one reply with a ready leakage detector for what the reply must never repeat.
    public init(policy: Policy, leakage: LeakageDetector, grounding: [String]) {
        self.policy = policy
        detector = PIIDetector(enabled: policy.redactedTypes)
        self.leakage = leakage
        let joined = grounding.joined(separator: "\n")
        groundingLowercased = joined.lowercased()
        groundingDigits = joined.split(whereSeparator: \.isLetter).map(Self.digits).joined(separator: "|")
        groundingWords = Set(LeakageDetector.words(joined))
    }

    /// The personal data in `text` that the grounding texts do not contain.
    public func producedPII(in text: String) -> [PIISpan] {
        detector.detect(in: text).filter { !isGrounded($0) }
    }

    /// `text` with `spans` (scalar offsets into it) replaced by their tags.
    public static func redact(_ text: String, spans: [PIISpan]) -> String {
        guard !spans.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var cursor = 0
        for span in spans.sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
        where span.range.lowerBound >= cursor && span.range.upperBound <= scalars.count {
            output.append(contentsOf: scalars[cursor..<span.range.lowerBound])
            output.append(contentsOf: "[\(span.type.tag)]".unicodeScalars)
            cursor = span.range.upperBound
        }
        output.append(contentsOf: scalars[cursor...])
        return String(output)
    }

    /// The protected run of words `text` repeats, or nil.
    public func leakedRun(in text: String) -> String? {
        leakage.leakedRun(in: text)
    }

    /// How many of the last `words` could begin a protected run.
    func leakBeginning(endingWith words: [String]) -> Int {
        leakage.leakBeginning(endingWith: words)
    }

    /// Why a whole reply is off topic, or nil when it is on topic or the policy allows it.
    ///
    /// A reply that cites a source is on topic; otherwise enough of its words must occur in the grounding texts.
    public func offTopicReason(in text: String, cites: Bool) -> String? {
        guard policy.blocksOffTopic, !cites else { return nil }
        let words = LeakageDetector.words(text).filter { $0.count > 3 }
        guard !words.isEmpty else { return nil }
        let grounded = Double(words.filter(groundingWords.contains).count) / Double(words.count)
        guard grounded < policy.minimumGrounding else { return nil }
        return "off topic: \(Int((grounded * 100).rounded()))% of the reply's words are grounded"
    }

    /// Checks a whole reply at once.
    public func check(_ text: String, cites: Bool) -> OutputVerdict {
        var buffer = OutputGuardBuffer(guard: self)
        var released = buffer.push(text)
        released += buffer.finish()
        var verdict = buffer.verdict(text: released)
        if verdict.blockReason == nil { verdict.blockReason = offTopicReason(in: text, cites: cites) }
        return verdict
    }

    /// The decimal digits of `text`, in order.
    private static func digits(_ text: some StringProtocol) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.numericType == .decimal }))
    }

    private func isGrounded(_ span: PIISpan) -> Bool {
        switch span.type {
        case .phone, .paymentCard, .iban, .ssn:
            let digits = Self.digits(span.value)
            return !digits.isEmpty && groundingDigits.contains(digits)
        default:
            return groundingLowercased.contains(span.value.lowercased())
        }
    }
}

/// Detects prompt injection and jailbreak attempts in user messages and in indirect text (retrieved
/// documents, tool output, memory) with phrase rules applied to several normalised views of the text:
/// folded, leetspeak-decoded, and every decodable hidden payload (base64, hex, ROT13, reversed, ...).
///
/// Rules only add evidence; a text is flagged when the evidence sums to 1.0. Instructions addressed to the
/// assistant weigh more in indirect text, where no legitimate author should be giving the model orders.
public struct InjectionDetector: Sendable {
    /// Evidence needed to flag a text.
    public let threshold: Double
    /// Multiplier for indirect-instruction, action and delimiter evidence in indirect sources.
    public let indirectBoost: Double

    /// Creates a detector.
    public init(threshold: Double = 1.0, indirectBoost: Double = 1.7) {
        self.threshold = threshold
        self.indirectBoost = indirectBoost
    }

    /// Assesses one text from `source`.
    public func assess(_ text: String, source: TextSource = .userMessage) -> InjectionAssessment {
        guard !text.isEmpty else {
            return InjectionAssessment(isInjection: false, score: 0, categories: [], evidence: [])
        }
        var weights: [String: (weight: Double, category: InjectionCategory)] = [:]
        func add(_ id: String, _ category: InjectionCategory, _ weight: Double) {
            var adjusted = weight
            if source.isIndirect
                && [.indirectInstruction, .dataExfiltrationAction, .delimiterInjection].contains(category)
            {
                adjusted *= indirectBoost
            }
            if adjusted > (weights[id]?.weight ?? 0) { weights[id] = (adjusted, category) }
        }

        let folded = ModerationNormalizer.fold(text)
        let baseWords = ModerationNormalizer.words(folded)
        for rule in Self.matchingRules(baseWords) { add(rule.id, rule.category, rule.weight) }
        if Self.hasLeetspeak(text) {
            let leetText = ModerationNormalizer.fold(text, leet: true)
            let alternative = String(text.map { $0 == "1" ? "l" : $0 })
            for view in [leetText, ModerationNormalizer.fold(alternative, leet: true)] {
                for rule in Self.matchingRules(ModerationNormalizer.words(view)) {
                    add(rule.id + "@leet", rule.category, rule.weight)
                }
            }
        }
        // ROT13 and reversal map words one to one, so whether their view holds a trigger is read off the words
        // themselves, and the view is made only then.
        var views: [(encoding: String, words: [String])] = []
        if baseWords.contains(where: Self.rot13Triggers.contains) {
            views.append(("rot13", baseWords.map { EncodedPayloadDecoder.rot13($0) }))
        }
        if baseWords.contains(where: Self.reversedTriggers.contains) {
            views.append(("reversed", baseWords.reversed().map { String($0.reversed()) }))
        }
        for payload in EncodedPayloadDecoder.decode(text) {
            views.append((payload.encoding, ModerationNormalizer.words(ModerationNormalizer.fold(payload.text))))
        }
        for (encoding, words) in views {
            guard words.contains(where: { Self.payloadTriggers.contains($0) }) else { continue }
            let rules = Self.matchingRules(words)
            guard rules.contains(where: { $0.weight >= 0.6 }) else { continue }
            for rule in rules { add(rule.id + "@" + encoding, rule.category, rule.weight) }
            add("encoded.hidden-instruction@" + encoding, .encodedPayload, 0.5)
        }
        for (id, category, weight) in Self.structuralEvidence(text, folded: folded, words: baseWords) {
            add(id, category, weight)
        }

        let score = weights.values.reduce(0) { $0 + $1.weight }
        let rounded = (score * 1000).rounded() / 1000
        return InjectionAssessment(
            isInjection: score >= threshold, score: rounded, categories: Set(weights.values.map(\.category)),
            evidence: weights.keys.sorted())
    }

    private static func matchingRules(_ words: [String]) -> [ModerationPhraseRule<InjectionCategory>] {
        guard !words.isEmpty else { return [] }
        let prepared = PhraseWords(words)
        return InjectionRules.all.filter { $0.matches(prepared) }
    }

    /// True if letters and leet digits or symbols are mixed inside words (`1gn0r3`, `pr3v10u5`).
    static func hasLeetspeak(_ text: String, minimumWords: Int = 2) -> Bool {
        var mixedWords = 0
        var hasLetter = false
        var hasLeet = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isLetter =
                value < 128
                ? (value >= 65 && value <= 90) || (value >= 97 && value <= 122) : scalar.properties.isAlphabetic
            if isLetter {
                hasLetter = true
            } else if "013457@$!".unicodeScalars.contains(scalar) {
                hasLeet = true
            } else {
                if hasLetter && hasLeet { mixedWords += 1 }
                hasLetter = false
                hasLeet = false
            }
        }
        if hasLetter && hasLeet { mixedWords += 1 }
        return mixedWords >= minimumWords
    }

    /// A decoded view is only checked when it contains one of these words, which every rule family needs.
    private static let payloadTriggers: Set<String> = [
        "ignore", "disregard", "forget", "instructions", "instruction", "system", "prompt", "rules", "previous",
        "reveal", "send", "forward", "delete", "call", "pretend", "unrestricted", "restrictions", "dan", "developer",
        "decode", "execute", "override", "admin", "password", "credentials", "token", "email", "show", "print",
        "follow", "append", "include", "safety", "policy", "ignora", "ignoriere", "vergiss", "olvida", "oubliez",
        "secret", "secrets", "customer", "private", "mode", "now",
    ]

    /// The triggers as their ROT13 and reversed views would show them.
    private static let rot13Triggers = Set(payloadTriggers.map { EncodedPayloadDecoder.rot13($0) })
    private static let reversedTriggers = Set(payloadTriggers.map { String($0.reversed()) })

    private static let chatTemplateTokens = [
        "<|im_start|>", "<|im_end|>", "<|system|>", "<|assistant|>", "<|user|>", "<|endoftext|>", "[inst]",
        "[/inst]", "<<sys>>", "<</sys>>", "<system>", "</system>", "[system]", "### system", "### instruction",
        "<|begin_of_text|>", "<start_of_turn>", "<|start_header_id|>", "[/system]", "<|eot_id|>",
    ]
    private static let roleLabels = ["system:", "assistant:", "developer:", "system message:", "sys:", "[assistant]"]
    private static let toolVerbs: Set<String> = ["call", "use", "invoke", "run", "execute", "trigger", "using"]
    private static let sendWords: Set<String> = [
        "send", "forward", "email", "mail", "post", "upload", "envoie", "envoyer", "envia", "invia", "sende", "schicke",
    ]

    /// Evidence from the raw text's structure: chat-template tokens, role labels at line starts, tool calls,
    /// outside addresses, hidden tag characters.
    private static func structuralEvidence(
        _ text: String, folded: String, words: [String]
    ) -> [(String, InjectionCategory, Double)] {
        var evidence: [(String, InjectionCategory, Double)] = []
        let lower = folded
        let bytes = lower.utf8
        func has(_ character: Unicode.Scalar) -> Bool { bytes.contains(UInt8(character.value)) }
        let mayHaveTemplate = has("<") || has("[") || has("#")
        if mayHaveTemplate && chatTemplateTokens.contains(where: { lower.contains($0) }) {
            evidence.append(("delimiter.chat-template-token", .delimiterInjection, 1.0))
        }
        if has(":") {
            let lines = lower.split(whereSeparator: \.isNewline)
            let labelled = lines.contains { line in
                let trimmed = line.drop { $0 == " " || $0 == "-" || $0 == "#" || $0 == "=" || $0 == "*" || $0 == ">" }
                return roleLabels.contains { trimmed.hasPrefix($0) }
            }
            if labelled { evidence.append(("delimiter.role-label", .delimiterInjection, 0.7)) }
        }
        if has("(") || has("<"),
            lower.contains("(assistant):") || lower.contains("<thinking>") || lower.contains("</thinking>")
        {
            evidence.append(("jailbreak.forged-reasoning", .jailbreakPersona, 0.5))
        }
        let hasUnderscore = has("_")
        let mayHaveTarget = has("@") || lower.contains("http")
        if hasUnderscore || mayHaveTarget {
            let rawWords = lower.split(whereSeparator: { $0 == " " || $0.isNewline || $0 == "\t" })
            if hasUnderscore {
                for (index, word) in rawWords.enumerated()
                where index + 1 < rawWords.count && toolVerbs.contains(String(word)) {
                    let next = rawWords[index + 1].filter { $0.isLetter || $0 == "_" || $0.isNumber }
                    if next.contains("_") && next.first?.isLetter == true && next.count >= 5 {
                        evidence.append(("action.tool-call", .dataExfiltrationAction, 0.6))
                        break
                    }
                }
            }
            let hasOutsideTarget =
                lower.contains("http://") || lower.contains("https://")
                || rawWords.contains { word in
                    guard let at = word.firstIndex(of: "@"), at != word.startIndex else { return false }
                    return word[word.index(after: at)...].contains(".")
                }
            if hasOutsideTarget && words.contains(where: { sendWords.contains($0) || $0.hasPrefix("envoie") }) {
                evidence.append(("action.send-outside", .dataExfiltrationAction, 0.5))
            }
        }
        let tagCount = text.unicodeScalars.filter { (0xE0000...0xE007F).contains($0.value) }.count
        if tagCount >= 4 { evidence.append(("encoded.unicode-tags", .encodedPayload, 0.5)) }
        return evidence
    }
}

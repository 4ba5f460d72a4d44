/// Guards a reply as it streams: releases text only once it is checked, holding back a short window.
///
/// Each piece is appended to a pending buffer, and text is released a whole word at a time. Words that may be part
/// of personal data or the start of a protected run stay pending (up to `holdBack` characters) until the text
/// moves on, so a phone number or a leaked sentence that is still being written is never half-released; a cut
/// never falls inside a detected value or a word. Ordinary prose flows with a delay of one word. Released text has model-produced personal data replaced by its tag. Once a
/// leak is found, nothing more is released and the verdict says why; `finish` releases the rest.
///
/// The text released, joined, is the guarded reply: the stream and the stored reply agree by construction.
public struct OutputGuardBuffer: Sendable {
    /// Most characters (Unicode scalars) held back on suspicion until more text or the end arrives.
    public static let holdBack = 64

    private let outputGuard: OutputGuard
    private var pending = String.UnicodeScalarView()
    /// The end of the raw reply, for leaks that span pieces.
    private var recent = String.UnicodeScalarView()
    private var redacted: [PIIType] = []
    private var blockReason: String?

    /// Makes a buffer that applies `guard`.
    public init(guard outputGuard: OutputGuard) {
        self.outputGuard = outputGuard
    }

    /// Whether a leak has stopped the stream.
    public var isBlocked: Bool { blockReason != nil }

    /// Takes the next piece of the reply; returns the text that may now be shown (possibly empty).
    public mutating func push(_ piece: String) -> String {
        guard blockReason == nil else { return "" }
        pending.append(contentsOf: piece.unicodeScalars)
        recent.append(contentsOf: piece.unicodeScalars)
        if recent.count > 1_024 { recent = String.UnicodeScalarView(recent.suffix(512)) }
        if let run = outputGuard.leakedRun(in: String(recent)) {
            blockReason = "the reply repeats the assistant's instructions (\"\(run)\")"
            pending = String.UnicodeScalarView()
            return ""
        }
        return release(upTo: cutPoint())
    }

    /// Ends the stream; returns the rest of the text that may be shown.
    public mutating func finish() -> String {
        guard blockReason == nil else { return "" }
        return release(upTo: pending.count)
    }

    /// The verdict, given the text released so far.
    public func verdict(text released: String) -> OutputVerdict {
        OutputVerdict(text: released, redacted: redacted, blockReason: blockReason)
    }

    /// Where the pending text may be cut; 0 when nothing may go yet.
    ///
    /// The cut falls at the start of the last, possibly unfinished word, then moves back over words that may be
    /// part of personal data (digits, `@`, capitals) or the start of a protected run, and out of any detected
    /// value. Suspicion holds back at most `holdBack` characters; detected values are always held whole.
    private func cutPoint() -> Int {
        let scalars = Array(pending)
        let words = Self.words(in: scalars)
        var complete = words.count
        if let last = words.last, last.upperBound == scalars.count { complete -= 1 }
        // Nothing but one unfinished word (or a script written without spaces): hold back only the window, and
        // never cut into a detected value (an e-mail written between Chinese characters has no space around it).
        guard complete > 0 else { return outsideDetectedValues(max(0, scalars.count - Self.holdBack)) }
        var cut = complete < words.count ? words[complete].lowerBound : scalars.count
        let floor = max(0, cut - Self.holdBack)
        let normalised = words[..<complete].map { LeakageDetector.words(String(String.UnicodeScalarView(scalars[$0]))) }
        let leaking = outputGuard.leakBeginning(endingWith: normalised.suffix(8).flatMap { $0 })
        var index = complete - 1
        var taken = 0
        while index >= 0, words[index].lowerBound >= floor {
            guard taken < leaking || Self.mayBePersonalData(scalars[words[index]]) else { break }
            taken += normalised[index].count
            cut = words[index].lowerBound
            index -= 1
        }
        return outsideDetectedValues(cut)
    }

    /// `cut`, moved back to the start of any personal data detected in the pending text that it falls inside.
    private func outsideDetectedValues(_ cut: Int) -> Int {
        var cut = cut
        for span in outputGuard.producedPII(in: String(pending)) where span.range.contains(cut) {
            cut = min(cut, span.range.lowerBound)
        }
        return cut
    }

    /// The ranges of whitespace-separated words in `scalars`.
    private static func words(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        for (offset, scalar) in scalars.enumerated() {
            if scalar.properties.isWhitespace {
                if let begin = start { ranges.append(begin..<offset) }
                start = nil
            } else if start == nil {
                start = offset
            }
        }
        if let begin = start { ranges.append(begin..<scalars.count) }
        return ranges
    }

    /// Whether a word may be part of an e-mail, phone, card, address or name: it has a digit, an `@`, or a capital.
    private static func mayBePersonalData(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        word.contains { $0.properties.numericType == .decimal || $0 == "@" || $0.properties.isUppercase }
    }

    private mutating func release(upTo cut: Int) -> String {
        guard cut > 0 else { return "" }
        let head = String(String.UnicodeScalarView(pending.prefix(cut)))
        pending = String.UnicodeScalarView(pending.dropFirst(cut))
        let spans = outputGuard.producedPII(in: head)
        for type in spans.map(\.type) where !redacted.contains(type) { redacted.append(type) }
        return OutputGuard.redact(head, spans: spans)
    }
}

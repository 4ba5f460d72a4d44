import ParleyCore
import ParleyUnderstanding

/// A reply sink that passes the reply through the output guard on its way to the visitor.
///
/// Text reaches `downstream` only once the guard has released it; `finish` releases the rest and returns the
/// verdict, whose text is exactly what `downstream` received.
///
/// When the guard blocks off-topic replies, a reply is judged whole unless it cites a passage, so released text waits
/// until a citation marker shows it on topic, or until the end: otherwise the visitor would watch an answer stream in
/// and then be told it cannot be given.
actor GuardedReplySink: ReplySink {
    private var buffer: OutputGuardBuffer
    private let outputGuard: OutputGuard
    private let downstream: (any ReplySink)?
    private let passageCount: Int
    private var released = ""
    /// Released by the guard, not yet sent on: the reply may still be found off topic.
    private var held = ""
    private var holding: Bool

    /// A sink guarding a reply written from `passageCount` numbered passages.
    init(guard outputGuard: OutputGuard, downstream: (any ReplySink)?, passageCount: Int) {
        buffer = OutputGuardBuffer(guard: outputGuard)
        self.outputGuard = outputGuard
        self.downstream = downstream
        self.passageCount = passageCount
        holding = outputGuard.policy.blocksOffTopic
    }

    func send(_ piece: String) async {
        let text = buffer.push(piece)
        guard holding else { return await forward(text) }
        held += text
        // A cited reply is on topic whatever its words: what was held goes on, and the rest streams. Only a `]`
        // completes a marker, so the held text is read again only when one arrives.
        if text.contains("]"), !CitationMarkers.numbers(in: held, passageCount: passageCount).isEmpty {
            holding = false
            let waiting = held
            held = ""
            await forward(waiting)
        }
    }

    /// False once the guard has blocked the reply: nothing more will be shown, so the model may stop.
    var isAccepting: Bool { !buffer.isBlocked }

    /// Ends the reply: releases what the guard held back, unless the whole of it is off topic, and returns the
    /// verdict.
    func finish() async -> OutputVerdict {
        let rest = buffer.finish()
        guard holding else {
            await forward(rest)
            return buffer.verdict(text: released)
        }
        let whole = held + rest
        held = ""
        var verdict = buffer.verdict(text: released)
        // Blocked (instructions leaked, or off topic): nothing of it was shown, and nothing is.
        guard verdict.blockReason == nil else { return verdict }
        if let reason = outputGuard.offTopicReason(in: whole, cites: false) {
            verdict.blockReason = reason
            return verdict
        }
        await forward(whole)
        return buffer.verdict(text: released)
    }

    private func forward(_ text: String) async {
        guard !text.isEmpty else { return }
        released += text
        await downstream?.send(text)
    }
}

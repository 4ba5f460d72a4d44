import ParleyCore
import ParleyUnderstanding

/// A reply sink that passes the reply through the output guard on its way to the visitor.
///
/// Text reaches `downstream` only once the guard has released it; `finish` releases the rest and returns the
/// verdict, whose text is exactly what `downstream` received.
actor GuardedReplySink: ReplySink {
    private var buffer: OutputGuardBuffer
    private let downstream: (any ReplySink)?
    private var released = ""

    init(guard outputGuard: OutputGuard, downstream: (any ReplySink)?) {
        buffer = OutputGuardBuffer(guard: outputGuard)
        self.downstream = downstream
    }

    func send(_ piece: String) async {
        await forward(buffer.push(piece))
    }

    /// False once the guard has blocked the reply: nothing more will be shown, so the model may stop.
    var isAccepting: Bool { !buffer.isBlocked }

    /// Ends the reply: releases what the guard held back and returns the verdict.
    func finish() async -> OutputVerdict {
        await forward(buffer.finish())
        return buffer.verdict(text: released)
    }

    private func forward(_ text: String) async {
        guard !text.isEmpty else { return }
        released += text
        await downstream?.send(text)
    }
}

/// Collects the log lines of the current call for the trace; refuses lines beyond the cap.
final class LuaLogSink {
    private(set) var lines: [String] = []

    /// Forgets the previous call's lines.
    func reset() {
        if !lines.isEmpty {
            lines.removeAll(keepingCapacity: true)
        }
    }

    /// Takes one line from C; returns non-zero (so C raises) once the per-call cap is reached.
    func append(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard lines.count < SandboxPolicy.maxLogLines else { return 1 }
        lines.append(String(decoding: bytes, as: UTF8.self))
        return 0
    }
}

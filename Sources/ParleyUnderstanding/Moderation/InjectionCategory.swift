/// The kinds of prompt-injection evidence the detector reports.
public enum InjectionCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// "Ignore previous instructions", "new instructions:", "from now on you must".
    case instructionOverride
    /// Role-play or persona jailbreaks: DAN, developer mode, "no restrictions", forged reasoning.
    case jailbreakPersona
    /// Attempts to read the system prompt, hidden instructions, credentials or customer data.
    case promptExfiltration
    /// Fake chat-format delimiters and role labels (`<|im_start|>system`, `### END OF INPUT ###`).
    case delimiterInjection
    /// Instructions hidden in an encoding (base64, hex, ROT13, ...) or a request to decode and obey.
    case encodedPayload
    /// Text in a document or tool output that addresses the assistant or orders tool calls.
    case indirectInstruction
    /// Requests to send data to outside addresses or to run destructive actions.
    case dataExfiltrationAction
}

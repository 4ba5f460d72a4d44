import LuaSandbox
import ParleyCore

/// What an `on_event` rule asked for: a message to show the visitor, after a delay, at most once per cooldown.
public struct ProactiveMessage: Sendable, Equatable {
    /// The message text.
    public var message: String
    /// How long the widget waits before showing it, in milliseconds (0...60,000).
    public var delayMilliseconds: Int
    /// How long before the same rule may message the same visitor again, in seconds (0...604,800).
    public var cooldownSeconds: Int

    /// Makes a proactive message.
    public init(message: String, delayMilliseconds: Int = 0, cooldownSeconds: Int = ProactiveMessage.defaultCooldown) {
        self.message = message
        self.delayMilliseconds = delayMilliseconds
        self.cooldownSeconds = cooldownSeconds
    }

    /// The cooldown when the rule names none: one hour.
    public static let defaultCooldown = 3600

    /// Reads what a rule returned; nil for no message (`nil` or an empty table).
    public static func parse(_ value: LuaValue) throws(InvalidDecision) -> ProactiveMessage? {
        if case .nil = value { return nil }
        let reader = try DecisionReader(value, path: "", allowed: ["message", "delay_ms", "cooldown_s"])
        guard reader.has("message") || reader.has("delay_ms") || reader.has("cooldown_s") else { return nil }
        guard let message = try reader.string("message", maxLength: 1000) else {
            throw InvalidDecision("message is required")
        }
        return ProactiveMessage(
            message: message,
            delayMilliseconds: try reader.integer("delay_ms", in: 0...60_000) ?? 0,
            cooldownSeconds: try reader.integer("cooldown_s", in: 0...604_800) ?? defaultCooldown)
    }

    /// The message in the normalized JSON form fixtures compare.
    public var json: JSONValue {
        .object([
            "message": .string(message), "delay_ms": .number(Double(delayMilliseconds)),
            "cooldown_s": .number(Double(cooldownSeconds)),
        ])
    }
}

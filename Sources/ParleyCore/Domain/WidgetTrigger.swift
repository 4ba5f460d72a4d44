/// A built-in proactive trigger: a message shown after some seconds on pages whose path contains a pattern.
///
/// Tenants with Lua rules can do much more with `on_event`; these serve everyone else.
public struct WidgetTrigger: Sendable, Codable, Equatable {
    /// Names the trigger, for its cooldown.
    public var id: String
    /// A piece of the page's path, such as `/pricing`.
    public var urlPattern: String
    /// Seconds on the page before the message shows.
    public var seconds: Int
    /// What the bubble says.
    public var message: String
    /// Seconds before the same visitor sees it again.
    public var cooldownSeconds: Int

    /// Makes a trigger.
    public init(id: String, urlPattern: String, seconds: Int, message: String, cooldownSeconds: Int = 3_600) {
        self.id = id
        self.urlPattern = urlPattern
        self.seconds = seconds
        self.message = message
        self.cooldownSeconds = cooldownSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, seconds, message
        case urlPattern = "url_pattern"
        case cooldownSeconds = "cooldown_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        urlPattern = try container.decode(String.self, forKey: .urlPattern)
        seconds = try container.decode(Int.self, forKey: .seconds)
        message = try container.decode(String.self, forKey: .message)
        cooldownSeconds = try container.decodeIfPresent(Int.self, forKey: .cooldownSeconds) ?? 3_600
    }

    func problems() -> [String] {
        var problems: [String] = []
        if id.isEmpty || id.count > 64 { problems.append("id must be 1 to 64 characters") }
        if urlPattern.isEmpty || urlPattern.count > 200 { problems.append("url_pattern must be 1 to 200 characters") }
        if !(0...3_600).contains(seconds) { problems.append("seconds must be between 0 and 3600") }
        if message.isEmpty || message.count > 500 { problems.append("message must be 1 to 500 characters") }
        if !(0...2_592_000).contains(cooldownSeconds) {
            problems.append("cooldown_seconds must be between 0 and 2592000")
        }
        return problems
    }
}

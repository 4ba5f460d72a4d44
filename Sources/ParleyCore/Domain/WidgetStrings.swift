/// The words a widget shows in one language; a nil word falls back to another language's.
public struct WidgetStrings: Sendable, Codable, Equatable {
    /// The panel's title.
    public var title: String?
    /// The first message a visitor sees.
    public var greeting: String?
    /// The launcher button's label.
    public var launcher: String?
    /// The composer's placeholder.
    public var placeholder: String?
    /// Shown outside business hours.
    public var away: String?

    /// Words in one language.
    public init(
        title: String? = nil, greeting: String? = nil, launcher: String? = nil, placeholder: String? = nil,
        away: String? = nil
    ) {
        self.title = title
        self.greeting = greeting
        self.launcher = launcher
        self.placeholder = placeholder
        self.away = away
    }

    /// The built-in English words.
    public static let english = WidgetStrings(
        title: "Chat", greeting: "Hi! How can we help?", launcher: "Chat with us", placeholder: "Type a message",
        away: "We're away right now. Leave a message and we'll get back to you.")

    /// These words, with `other`'s where it has one.
    mutating func merge(_ other: WidgetStrings) {
        title = other.title ?? title
        greeting = other.greeting ?? greeting
        launcher = other.launcher ?? launcher
        placeholder = other.placeholder ?? placeholder
        away = other.away ?? away
    }

    func problems() -> [String] {
        [
            ("title", title, 80), ("greeting", greeting, 500), ("launcher", launcher, 40),
            ("placeholder", placeholder, 80),
            ("away", away, 500),
        ]
        .compactMap { name, value, limit in
            guard let value, value.count > limit else { return nil }
            return "\(name) must be at most \(limit) characters"
        }
    }
}

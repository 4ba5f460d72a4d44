import ParleyCore

/// The read-only `turn` table `on_message` rules receive (rule API v1), built as JSON so it can be stored and replayed.
public enum TurnView {
    /// The fields of rule API v1, for validating fixtures.
    public static let fields: Set<String> = [
        "text", "language", "sentiment", "sentiment_trend", "intent", "intent_confidence", "entities",
        "retrieval_confidence", "state",
        "message_count", "bot_failures", "visitor", "page_url", "tags", "business_hours",
    ]

    /// The view of a turn as the stages before `rules` left it.
    public static func json(of turn: Turn) -> JSONValue {
        var view: [String: JSONValue] = [
            "text": .string(turn.text),
            "entities": .array(
                turn.entities.map { .object(["type": .string($0.type), "value": .string($0.value)]) }),
            "state": .string(turn.conversationState.rawValue),
            "message_count": .number(Double(turn.messageCount)),
            "bot_failures": .number(Double(turn.botFailures)),
            "visitor": .object([
                "id": .string(turn.visitorID.description), "attributes": .object(turn.visitorAttributes),
            ]),
            "tags": .array(turn.tags.sorted().map(JSONValue.string)),
        ]
        view["language"] = turn.language.map(JSONValue.string)
        view["sentiment"] = turn.sentiment.map(JSONValue.number)
        view["sentiment_trend"] = turn.sentimentTrend.map { .number($0.value) }
        view["intent"] = turn.intent.map { .string($0.name) }
        view["intent_confidence"] = turn.intent.map { .number($0.confidence) }
        view["retrieval_confidence"] = turn.retrievalConfidence.map(JSONValue.number)
        view["page_url"] = turn.pageURL.map(JSONValue.string)
        view["business_hours"] = turn.businessHours.map(JSONValue.bool)
        return .object(view)
    }

    /// A complete view from a fixture's partial one: fields left out take the documented defaults.
    public static func filled(_ partial: [String: JSONValue]) throws(InvalidFixture) -> JSONValue {
        if let unknown = partial.keys.filter({ !fields.contains($0) }).sorted().first {
            throw InvalidFixture("unknown turn field '\(unknown)'")
        }
        var view: [String: JSONValue] = [
            "text": "", "language": "en", "state": "bot", "message_count": .number(1), "bot_failures": .number(0),
            "entities": .array([]), "tags": .array([]),
        ]
        view.merge(partial.filter { $0.value != .null }) { _, new in new }
        var visitor = view["visitor"]?.objectValue ?? [:]
        visitor["id"] = visitor["id"] ?? "fixture-visitor"
        visitor["attributes"] = visitor["attributes"] ?? .object([:])
        view["visitor"] = .object(visitor)
        return .object(view)
    }
}

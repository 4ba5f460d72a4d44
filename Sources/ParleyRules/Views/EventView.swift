import ParleyCore

/// The read-only `event` and `visitor` tables `on_event` rules receive (rule API v1).
public enum EventView {
    /// The event types widgets send.
    public static let types: Set<String> = [
        "page_view", "time_on_page", "scroll_depth", "cart_updated", "returning_visit", "exit_intent", "custom",
    ]

    /// The event fields of rule API v1.
    public static let eventFields: Set<String> = ["type", "page_url", "seconds", "cart", "name", "data"]

    /// The visitor fields of rule API v1.
    public static let visitorFields: Set<String> = ["id", "attributes", "visits", "returning", "business_hours"]

    /// The `visitor` table for a visitor with `visits` sessions so far.
    public static func visitor(
        id: String, attributes: [String: JSONValue], visits: Int, businessHours: Bool?
    ) -> JSONValue {
        var view: [String: JSONValue] = [
            "id": .string(id), "attributes": .object(attributes), "visits": .number(Double(visits)),
            "returning": .bool(visits > 1),
        ]
        view["business_hours"] = businessHours.map(JSONValue.bool)
        return .object(view)
    }

    /// Checks an event object against the API and returns it without null fields.
    public static func event(_ object: [String: JSONValue]) throws(InvalidFixture) -> JSONValue {
        if let unknown = object.keys.filter({ !eventFields.contains($0) }).sorted().first {
            throw InvalidFixture("unknown event field '\(unknown)'")
        }
        guard case .string(let type) = object["type"], types.contains(type) else {
            throw InvalidFixture("event.type must be one of \(types.sorted().joined(separator: ", "))")
        }
        return .object(object.filter { $0.value != .null })
    }

    /// A complete visitor from a fixture's partial one: fields left out take the documented defaults.
    public static func filledVisitor(_ partial: [String: JSONValue]) throws(InvalidFixture) -> JSONValue {
        if let unknown = partial.keys.filter({ !visitorFields.contains($0) }).sorted().first {
            throw InvalidFixture("unknown visitor field '\(unknown)'")
        }
        var view = partial.filter { $0.value != .null }
        view["id"] = view["id"] ?? "fixture-visitor"
        view["attributes"] = view["attributes"] ?? .object([:])
        let visits: Double =
            if case .number(let visits) = view["visits"] { visits } else { 1 }
        view["visits"] = .number(visits)
        view["returning"] = view["returning"] ?? .bool(visits > 1)
        return .object(view)
    }
}

import LuaSandbox
import ParleyCore

/// What an `on_message` rule decided: at most one of escalate, reply or block, plus tags and attributes to set.
public struct MessageDecision: Sendable, Equatable {
    /// A decision that stops the chain.
    public enum Action: Sendable, Equatable {
        /// Hand the conversation to a human.
        case escalate(Escalation)
        /// Answer with this text.
        case reply(String)
        /// Refuse the message for this reason.
        case block(String)
    }

    /// The action that stops the chain, if any.
    public var action: Action?
    /// Tags to add to the conversation, in the order the rule gave them, without repeats.
    public var tags: [String]
    /// Visitor attributes to set.
    public var attributes: [String: JSONValue]

    /// Makes a decision.
    public init(action: Action? = nil, tags: [String] = [], attributes: [String: JSONValue] = [:]) {
        self.action = action
        self.tags = tags
        self.attributes = attributes
    }

    /// Whether the decision does nothing at all.
    public var isEmpty: Bool { action == nil && tags.isEmpty && attributes.isEmpty }

    /// Reads what a rule returned; nil for no decision (`nil` or an empty table).
    ///
    /// An escalation without a reason gets `escalated by CHUNK` (the rule's chunk name, with the return line when known).
    public static func parse(_ value: LuaValue, defaultReason: String) throws(InvalidDecision) -> MessageDecision? {
        if case .nil = value { return nil }
        let reader = try DecisionReader(value, path: "", allowed: ["escalate", "reply", "block", "tag", "set"])
        let actions = ["escalate", "reply", "block"].filter(reader.has)
        guard actions.count <= 1 else {
            throw InvalidDecision(
                "a decision has at most one of escalate, reply and block (got \(actions.joined(separator: ", ")))")
        }
        var decision = MessageDecision()
        if let escalate = reader["escalate"] {
            decision.action = .escalate(try parseEscalation(escalate, defaultReason: defaultReason))
        } else if let reply = reader["reply"] {
            decision.action = .reply(try DecisionReader.string(reply, name: "reply", maxLength: 4000))
        } else if let block = reader["block"] {
            decision.action = .block(try DecisionReader.string(block, name: "block", maxLength: 200))
        }
        if let tag = reader["tag"] { decision.tags = try parseTags(tag) }
        if let set = reader["set"] { decision.attributes = try parseAttributes(set) }
        return decision.isEmpty ? nil : decision
    }

    /// The decision in the normalized JSON form fixtures and shadow diffs compare.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        switch action {
        case .escalate(let escalation):
            var fields: [String: JSONValue] = [
                "priority": .number(Double(escalation.priority)), "reason": .string(escalation.reason),
            ]
            if let skill = escalation.skill { fields["skill"] = .string(skill) }
            if let message = escalation.message { fields["message"] = .string(message) }
            object["escalate"] = .object(fields)
        case .reply(let text): object["reply"] = .string(text)
        case .block(let reason): object["block"] = .string(reason)
        case nil: break
        }
        if !tags.isEmpty { object["tag"] = .array(tags.map(JSONValue.string)) }
        if !attributes.isEmpty { object["set"] = .object(attributes) }
        return .object(object)
    }

    private static func parseEscalation(_ value: LuaValue, defaultReason: String) throws(InvalidDecision) -> Escalation
    {
        let reader = try DecisionReader(
            value, path: "escalate.", allowed: ["priority", "skill", "reason", "message"])
        let skill = try reader.string("skill", maxLength: 40)
        if let skill, !DecisionReader.isIdentifier(skill, extra: ["_", "-"]) {
            throw InvalidDecision("escalate.skill must match ^[a-z0-9_-]{1,40}$")
        }
        return Escalation(
            priority: try reader.integer("priority", in: 0...3) ?? 1,
            skill: skill,
            reason: try reader.string("reason", maxLength: 200) ?? defaultReason,
            message: try reader.string("message", maxLength: 2000))
    }

    private static func parseTags(_ value: LuaValue) throws(InvalidDecision) -> [String] {
        let values: [LuaValue]
        switch value {
        case .string: values = [value]
        case .array(let array): values = array
        case .table(let table) where table.isEmpty: values = []
        default: throw InvalidDecision("tag must be a string or an array of strings")
        }
        guard values.count <= 16 else { throw InvalidDecision("tag has at most 16 tags") }
        var tags: [String] = []
        for value in values {
            guard case .string(let tag) = value, DecisionReader.isIdentifier(tag, extra: ["_", ":", "-"]) else {
                throw InvalidDecision("each tag must match ^[a-z0-9_:-]{1,40}$")
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    private static func parseAttributes(_ value: LuaValue) throws(InvalidDecision) -> [String: JSONValue] {
        let fields: [String: LuaValue]
        switch value {
        case .table(let table): fields = table
        case .array(let array) where array.isEmpty: fields = [:]
        default: throw InvalidDecision("set must be a table of attribute = value")
        }
        guard fields.count <= 32 else { throw InvalidDecision("set has at most 32 attributes") }
        var attributes: [String: JSONValue] = [:]
        for (key, value) in fields {
            guard DecisionReader.isIdentifier(key, extra: ["_"]) else {
                throw InvalidDecision("attribute names must match ^[a-z0-9_]{1,40}$ (got '\(key.prefix(40))')")
            }
            switch value {
            case .bool, .integer, .number: attributes[key] = value.json
            case .string(let text):
                guard text.count <= 500 else { throw InvalidDecision("set.\(key) must be at most 500 characters") }
                attributes[key] = .string(text)
            default: throw InvalidDecision("set.\(key) must be a string, number or boolean")
            }
        }
        return attributes
    }
}

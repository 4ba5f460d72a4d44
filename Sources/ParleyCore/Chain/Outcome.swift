/// What a stage tells the chain after handling a turn, with the reason shown in the trace.
public struct Outcome: Sendable, Equatable {
    /// What happens next.
    public var decision: Decision
    /// A short reason for the trace ("escalated by rules/acme/escalation.lua:12").
    public var reason: String?
    /// Further lines for the trace, such as each rule's decision and log; empty for most stages.
    public var notes: [String]

    /// Makes an outcome.
    public init(_ decision: Decision, reason: String? = nil, notes: [String] = []) {
        self.decision = decision
        self.reason = reason
        self.notes = notes
    }

    /// Go on to the next stage.
    public static let `continue` = Outcome(.continue)

    /// Go on to the next stage, noting why in the trace.
    public static func `continue`(because reason: String) -> Outcome { Outcome(.continue, reason: reason) }

    /// Answer with `text` and stop the chain.
    public static func reply(_ text: String, reason: String? = nil) -> Outcome { Outcome(.reply(text), reason: reason) }

    /// Hand the conversation to a human and stop the chain.
    public static func escalate(_ escalation: Escalation, reason: String? = nil) -> Outcome {
        Outcome(.escalate(escalation), reason: reason ?? escalation.reason)
    }

    /// Refuse the message, answer with `message`, and stop the chain.
    public static func block(_ message: String, reason: String) -> Outcome { Outcome(.block(message), reason: reason) }

    /// What happens after a stage.
    public enum Decision: Sendable, Equatable {
        /// Go on to the next stage.
        case `continue`
        /// Answer with this text and stop.
        case reply(String)
        /// Queue the conversation for a human and stop.
        case escalate(Escalation)
        /// Refuse the message with this answer and stop.
        case block(String)

        /// The decision's name in traces and the API.
        public var name: String {
            switch self {
            case .continue: "continue"
            case .reply: "reply"
            case .escalate: "escalate"
            case .block: "block"
            }
        }
    }
}

/// A request to hand the conversation to a human agent.
public struct Escalation: Sendable, Equatable, Codable {
    /// How urgent it is; higher is more urgent (0...3).
    public var priority: Int
    /// The agent skill to route to (`billing`), if any.
    public var skill: String?
    /// Why the conversation is escalated.
    public var reason: String
    /// What the visitor is told while waiting, if the stage chose the words.
    public var message: String?

    /// Makes an escalation.
    public init(priority: Int = 1, skill: String? = nil, reason: String, message: String? = nil) {
        self.priority = priority
        self.skill = skill
        self.reason = reason
        self.message = message
    }
}

import Foundation
import ParleyCore

/// Outside the tenant's business hours, answers with the after-hours message and tags the conversation for follow-up.
public struct BusinessHoursStage: Stage {
    public static let manifest = StageManifest(
        id: "business-hours",
        version: "1.0.0",
        description:
            "Outside business hours, answers with an after-hours message and marks the conversation for follow-up.",
        placement: Placement(before: ["fallback", "escalation"]),
        isBuiltIn: false
    )

    /// Opening hours, time zone and the after-hours answer.
    public struct Settings: StageSettings {
        /// An IANA time zone name (`Europe/Berlin`).
        public var timeZone = "UTC"
        /// Opening hours per day (`mon`...`sun`), as `"09:00-17:00"`; a missing day is closed.
        public var hours: [String: String] = [
            "mon": "09:00-17:00", "tue": "09:00-17:00", "wed": "09:00-17:00", "thu": "09:00-17:00",
            "fri": "09:00-17:00",
        ]
        /// The answer outside business hours.
        public var afterHoursMessage =
            "We're closed right now. Leave your email and question here and we'll get back to you when we open."
        /// The tag that marks the conversation for follow-up.
        public var followUpTag = "follow_up"
        /// Whether to answer outside business hours; when false the stage only marks the turn and the chain goes
        /// on, so that later stages (a Lua rule reading `turn.business_hours`) decide what to say.
        public var answerOutsideHours = true

        public init() {}

        public func validate() -> [String] {
            var problems: [String] = []
            if TimeZone(identifier: timeZone) == nil { problems.append("unknown time zone '\(timeZone)'") }
            if case .failure(let failure) = WeeklyHours.parse(hours) { problems += failure.messages }
            if afterHoursMessage.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("afterHoursMessage must not be empty")
            }
            if followUpTag.isEmpty { problems.append("followUpTag must not be empty") }
            return problems
        }
    }

    private let settings: Settings
    private let hours: WeeklyHours
    private let timeZone: TimeZone

    public init(settings: Settings) {
        self.settings = settings
        // `validate()` has accepted both before a chain is built.
        self.hours = (try? WeeklyHours.parse(settings.hours).get()) ?? .closed
        self.timeZone = TimeZone(identifier: settings.timeZone) ?? .gmt
    }

    public func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        let open = hours.isOpen(at: context.now, in: timeZone)
        turn.businessHours = open
        guard !open else {
            return .continue(because: "within business hours")
        }
        turn.tags.insert(settings.followUpTag)
        guard settings.answerOutsideHours else {
            return .continue(because: "outside business hours (\(settings.timeZone)); left to later stages")
        }
        return .reply(settings.afterHoursMessage, reason: "outside business hours (\(settings.timeZone))")
    }
}

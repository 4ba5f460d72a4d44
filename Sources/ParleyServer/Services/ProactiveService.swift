import Foundation
import Logging
import ParleyCore
import ParleyRules
import ParleyStore

/// Runs the tenant's `on_event` rules for a widget event and decides whether the visitor gets a proactive message.
///
/// Rules run in name order; the first message whose rule is out of its cooldown is sent, as long as the visitor is
/// under the frequency cap. A sent message is stored in the conversation as an assistant message.
struct ProactiveService: Sendable {
    let store: any ParleyStore
    let rules: TenantRules
    let chains: TenantChains

    /// At most this many proactive messages per visitor in `capWindow`.
    static let frequencyCap = 3
    /// The window of the frequency cap.
    static let capWindow: TimeInterval = 24 * 3600

    /// What happened to an event.
    struct Result: Sendable {
        /// The message sent, if any.
        var message: Message?
        /// How long the widget waits before showing it.
        var delayMilliseconds: Int
        /// The rule that sent it, with its line.
        var decidedBy: String?
        /// Rules whose message was held back, and why (`cooldown`, `frequency_cap`, `not_with_bot`).
        var suppressed: [(rule: String, reason: String)]
        /// Rules that failed, with the failure.
        var failures: [(rule: String, failure: RuleFailure)]
    }

    func handle(
        event: JSONValue, visitor identity: VisitorIdentity, conversation conversationID: ConversationID,
        logger: Logger
    ) async throws -> Result {
        let tenant = identity.tenantID
        guard let conversation = try await store.conversations.get(conversationID, tenant: tenant),
            conversation.visitorID == identity.visitorID
        else { throw APIError.notFound("conversation") }
        // The bot speaks up only in a conversation it has: not one queued for, or with, a person, nor a closed one.
        guard conversation.state == .bot else {
            return Result(message: nil, delayMilliseconds: 0, decidedBy: nil, suppressed: [], failures: [])
        }
        guard let visitor = try await store.visitors.get(identity.visitorID, tenant: tenant) else {
            throw APIError.notFound("visitor")
        }
        guard let owner = try await store.tenants.get(tenant) else { throw APIError.notFound("tenant") }
        let book = try await rules.book(tenant: owner)
        let view = EventView.visitor(
            id: visitor.id.rawValue, attributes: visitor.attributes, visits: visitor.visits,
            businessHours: try await businessHours(tenant: owner, visitor: visitor.id, logger: logger))
        let runs = book.engine.runEventRules(
            book.rules, event: event, visitor: view, tenant: book.tenant, limits: book.limits)
        var result = Result(message: nil, delayMilliseconds: 0, decidedBy: nil, suppressed: [], failures: [])
        result.failures = runs.compactMap { run in run.failure.map { (run.chunk, $0) } }
        let proposals = runs.compactMap { run in run.decision.map { (run, $0) } }
        guard !proposals.isEmpty else { return result }

        let now = Date()
        let history = try await store.proactive.deliveries(
            visitor: visitor.id, tenant: tenant, since: now.addingTimeInterval(-7 * 24 * 3600))
        let recent = history.filter { $0.sentAt > now.addingTimeInterval(-Self.capWindow) }.count
        for (run, proposal) in proposals {
            let last = history.first { $0.rule == run.rule.rawValue }?.sentAt
            if let last, now.timeIntervalSince(last) < TimeInterval(proposal.cooldownSeconds) {
                result.suppressed.append((run.chunk, "cooldown"))
                continue
            }
            guard recent < Self.frequencyCap else {
                result.suppressed.append((run.chunk, "frequency_cap"))
                continue
            }
            let message = Message(
                id: .generate(), tenantID: tenant, conversationID: conversation.id, role: .assistant,
                text: proposal.message, clientMessageID: nil, inReplyTo: nil,
                metadata: [
                    "proactive": .bool(true), "rule": .string(run.rule.rawValue),
                    "delay_ms": .number(Double(proposal.delayMilliseconds)),
                ],
                createdAt: now)
            // The history read above chose this rule; the store checks again as it sends, so that two events at
            // once cannot both send past the cooldown or the cap.
            let outcome = try await store.proactive.deliver(
                message, rule: run.rule.rawValue, visitor: visitor.id,
                allowance: ProactiveAllowance(
                    cooldown: TimeInterval(proposal.cooldownSeconds), cap: Self.frequencyCap,
                    capWindow: Self.capWindow))
            guard outcome == .sent else {
                result.suppressed.append((run.chunk, outcome.rawValue))
                continue
            }
            result.message = message
            result.delayMilliseconds = proposal.delayMilliseconds
            result.decidedBy = run.location
            break
        }
        return result
    }

    /// Whether the tenant is open now, as its chain's business-hours stage says; nil when that stage is not enabled.
    ///
    /// The stage is run on an empty probe turn: it only reads the clock and its settings, and marks the turn.
    func businessHours(tenant owner: Tenant, visitor: VisitorID, logger: Logger) async throws -> Bool? {
        var probe = Turn(
            tenantID: owner.id, conversationID: ConversationID("event"), messageID: MessageID("event"),
            visitorID: visitor, text: "")
        let context = StageContext(tenant: owner, now: Date(), logger: logger)
        guard try await chains.runAlone(Self.businessHoursStage, on: &probe, context: context) != nil else {
            return nil
        }
        return probe.businessHours
    }

    /// The id of the stage that knows the tenant's opening hours (the business-hours plugin).
    static let businessHoursStage = "business-hours"
}

import Foundation
import Logging
import Metrics
import ParleyCore
import ParleyRules
import ParleyStages
import ParleyStore

/// Takes a customer message through its turn: store it durably, run the tenant's chain, store and return the reply.
struct ChatService: Sendable {
    let store: any ParleyStore
    let chains: TenantChains
    let rules: TenantRules
    let intents: TenantIntents
    let inFlight: InFlightTurns
    let tenants: TenantCache
    let knowledge: any KnowledgeSearching
    let answerers: TenantAnswerers
    /// Where stored messages and changes of state are announced to the conversation's watchers.
    let events: ConversationEvents
    /// Tells the conversations waiting for an agent their places as the tenant's queue moves.
    let queue: QueueAnnouncer

    /// What the visitor is told when a stage escalates without choosing words.
    static let defaultHandoffText = "I'm connecting you with a member of our team. Someone will be with you shortly."

    /// Handles a customer message; a resent `clientMessageID` returns the first result and stores nothing new.
    ///
    /// With a `sink`, a model's answer is sent to it piece by piece as it is written. The stored messages are
    /// announced to the conversation's watchers, except the one named `origin` (the caller, which gets them here).
    func handle(
        visitor: VisitorIdentity, conversationID: ConversationID, clientMessageID: String, text: String,
        pageURL: String?, logger: Logger, sink: (any ReplySink)? = nil, origin: UUID? = nil
    ) async throws -> ChatResult {
        let incoming = Message(
            id: .generate(), tenantID: visitor.tenantID, conversationID: conversationID, role: .customer, text: text,
            clientMessageID: clientMessageID, inReplyTo: nil,
            metadata: pageURL.map { ["page_url": .string($0)] } ?? [:],
            createdAt: Date())
        switch try await store.turns.begin(incoming, visitor: visitor.visitorID) {
        case .notFound:
            throw APIError.notFound("conversation")
        case .closed:
            throw APIError(.conflict, "conversation_closed", "the conversation is closed; start a new one")
        case .started(let start):
            events.publish(.message(incoming), conversation: conversationID, tenant: visitor.tenantID, origin: origin)
            let result = try await inFlight.run(incoming.id, conversation: conversationID) {
                try await holdingLease(on: incoming) {
                    try await runTurn(incoming, from: start, visitor: visitor, logger: logger, sink: sink)
                }
            }
            announce(result, previous: start.conversation.state, tenant: visitor.tenantID, origin: origin)
            return result
        case .duplicate(let message):
            if let finished = try await finishedResult(for: message, tenant: visitor.tenantID) { return finished }
            // Stored before but never finished (a crash mid-turn) or still running: join the turn, wait for the
            // replica that runs it, or redo it.
            return try await inFlight.run(message.id, conversation: message.conversationID) {
                if let finished = try await claimOrAwait(message, tenant: visitor.tenantID) { return finished }
                guard let current = try await store.conversations.get(message.conversationID, tenant: visitor.tenantID)
                else { throw APIError.notFound("conversation") }
                let start = TurnStart(
                    conversation: current,
                    visitor: try await store.visitors.get(visitor.visitorID, tenant: visitor.tenantID),
                    customerMessageCount: try await store.messages.customerMessageCount(
                        conversation: current.id, tenant: visitor.tenantID))
                // A turn redone after a crash: its reply is news to the conversation's watchers too.
                let result = try await holdingLease(on: message) {
                    try await runTurn(message, from: start, visitor: visitor, logger: logger, sink: sink)
                }
                announce(result, previous: current.state, tenant: visitor.tenantID, origin: origin)
                return result
            }
        }
    }

    /// Tells the conversation's watchers about the reply and a change of state (queued for a human).
    ///
    /// Only the turn's own move is told: a claim or close that happened while the turn ran was told by its route.
    private func announce(_ result: ChatResult, previous: ConversationState, tenant: TenantID, origin: UUID?) {
        let conversation = result.conversation
        if let reply = result.reply {
            events.publish(.message(reply), conversation: conversation.id, tenant: tenant, origin: origin)
        }
        if conversation.state != previous, conversation.state == .queued {
            var position: Int?
            if case .number(let value)? = result.reply?.metadata["queue_position"] { position = Int(value) }
            events.publish(
                .state(conversation.state, agent: nil, queuePosition: position), conversation: conversation.id,
                tenant: tenant, origin: origin)
            queue.queueChanged(tenant: tenant, joined: conversation.id)
        }
    }

    /// How long a resend waits for another replica to finish the message's turn before it answers
    /// `turn_in_progress`.
    static let otherReplicaWait = Duration.seconds(20)

    /// The finished result of a resent message's turn, or nil once this replica has claimed the turn to redo it.
    ///
    /// While another replica holds the turn's lease (it is running the turn), this waits for its result, for up to
    /// `otherReplicaWait`, and then throws `turn_in_progress` (409, `Retry-After`): the client sends the message
    /// again later, and it is answered once.
    private func claimOrAwait(_ message: Message, tenant: TenantID) async throws -> ChatResult? {
        let deadline = ContinuousClock.now + Self.otherReplicaWait
        while true {
            if let finished = try await finishedResult(for: message, tenant: tenant) { return finished }
            if try await store.turns.claim(turn: message.id, tenant: tenant, now: Date()) { return nil }
            // Out of time, or no longer waited for (the caller went, or an agent took the conversation over): the
            // client asks again later and gets the answer then.
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(250))) != nil else {
                var error = APIError(
                    .conflict, "turn_in_progress", "this message is still being answered; send it again shortly")
                error.headers[.retryAfter] = "5"
                throw error
            }
        }
    }

    /// Runs `operation`, renewing this replica's lease on the message's turn every third of the lease's life, on
    /// stores that lease turns.
    private func holdingLease(on message: Message, _ operation: () async throws -> ChatResult) async throws
        -> ChatResult
    {
        guard let lease = store.turns.turnLease else { return try await operation() }
        let turns = store.turns
        let renewal = Task {
            while (try? await Task.sleep(for: lease / 3)) != nil {
                try? await turns.renew(turn: message.id, tenant: message.tenantID, now: Date())
            }
        }
        defer { renewal.cancel() }
        return try await operation()
    }

    /// The stored result of a message whose turn has finished.
    private func finishedResult(for message: Message, tenant: TenantID) async throws -> ChatResult? {
        guard let turn = try await store.turns.get(message: message.id, tenant: tenant),
            let conversation = try await store.conversations.get(message.conversationID, tenant: tenant)
        else { return nil }
        let reply = try await turn.replyID.asyncMap { try await store.messages.get($0, tenant: tenant) } ?? nil
        return ChatResult(messageID: message.id, reply: reply, conversation: conversation, decision: turn.decision)
    }

    private func runTurn(
        _ message: Message, from start: TurnStart, visitor: VisitorIdentity, logger: Logger, sink: (any ReplySink)?
    ) async throws -> ChatResult {
        let tenantID = visitor.tenantID
        var conversation = start.conversation
        guard let tenant = try await tenants.get(tenantID) else { throw APIError.notFound("tenant") }
        let now = Date()
        guard conversation.state.botAnswers else {
            // A human has the conversation (or it is queued for one): store the turn, no bot reply. The tenant's
            // redaction still applies to what is kept.
            conversation.updatedAt = now
            let redaction = try await redactForStorage(message, tenant: tenant, logger: logger)
            let record = TurnRecord(
                tenantID: tenantID, conversationID: conversation.id, messageID: message.id, decision: "handover",
                decidedBy: nil, replyID: nil, trace: redaction.trace, createdAt: now, storedText: redaction.storedText)
            try await store.turns.complete(record, reply: nil, conversation: conversation, beganIn: conversation.state)
            return ChatResult(messageID: message.id, reply: nil, conversation: conversation, decision: "handover")
        }
        let storedVisitor = start.visitor
        let count = start.customerMessageCount
        var turn = Turn(
            tenantID: tenantID, conversationID: conversation.id, messageID: message.id, visitorID: visitor.visitorID,
            text: message.text, conversationState: conversation.state, messageCount: count,
            botFailures: conversation.botFailures, visitorAttributes: storedVisitor?.attributes ?? [:],
            pageURL: message.metadata["page_url"].flatMap { if case .string(let url) = $0 { url } else { nil } },
            tags: conversation.tags)
        turn.sentimentTrend = conversation.sentimentTrend
        turn.recentQuestions = conversation.recentQuestions
        let active = try await chains.active(tenant: tenantID)
        var services = StageServices()
        services[RuleBookKey.self] = try await rules.book(tenant: tenant)
        services[IntentStage.ClassifierKey.self] = try await intents.classifier(tenant: tenantID)
        if let embedder = intents.embeddings?.ready { services[IntentStage.EmbedderKey.self] = embedder }
        services[KnowledgeSearchKey.self] = knowledge
        services[AnswerGeneratorKey.self] = try await answerers.generator(tenant: tenantID)
        if let sink { services[ReplySinkKey.self] = sink }
        services[OutputGuardStage.Key.self] = active.chain.stage(OutputGuardStage.self)
        let result = await active.chain.run(
            &turn, context: StageContext(tenant: tenant, now: now, logger: logger, services: services))
        // Whether the model wrote any of the reply (all of it, or some before the turn was stopped: that is kept).
        let modelWrote = turn.extensions["generation"] != nil && !(turn.draftReply ?? "").allSatisfy(\.isWhitespace)
        let conversationID = conversation.id
        if Task.isCancelled, !modelWrote,
            let current = try await persisting({ try await store.conversations.get(conversationID, tenant: tenantID) }),
            current.state != .bot
        {
            // Stopped before the model wrote a word because an agent took the conversation over (or closed it):
            // what the chain made of its failing steps (a fallback, an offer of a human, a place in the queue) is
            // not the bot's answer. The turn is stored without a reply, and nothing of it counts against the bot.
            return try await stoppedBeforeAnswering(message, turn: turn, trace: result.trace, now: current)
        }

        var replyText: String?
        var metadata: [String: JSONValue] = [
            "decision": .string(result.outcome.decision.name), "chain_version": .number(Double(active.version.version)),
        ]
        if let stage = result.decidedBy { metadata["decided_by"] = .string(stage) }
        switch result.outcome.decision {
        case .continue:
            replyText = turn.draftReply
            if !turn.citations.isEmpty, replyText != nil {
                metadata["citations"] = try JSONValue.encoding(turn.citations)
            }
            if let generation = turn.extensions["generation"] { metadata["generation"] = generation }
            if turn.extensions["interrupted"] == true { metadata["interrupted"] = true }
            if let verdict = turn.extensions["output_guard"] { metadata["output_guard"] = verdict }
            if !turn.quickReplies.isEmpty {
                metadata["quick_replies"] = .array(turn.quickReplies.map(JSONValue.string))
            }
        case .reply(let text):
            replyText = text
        case .escalate(let escalation):
            let position = try await persisting {
                try await queuePosition(priority: escalation.priority, tenant: tenantID)
            }
            replyText = (escalation.message ?? Self.defaultHandoffText) + " You are number \(position) in the queue."
            conversation.state = .queued
            conversation.handoff = Handoff(
                escalation: escalation, queuedAt: Date(),
                summary: HandoffSummary.make(turn: turn, escalation: escalation))
            metadata["escalation"] = try JSONValue.encoding(escalation)
            metadata["queue_position"] = .number(Double(position))
        case .block(let text):
            replyText = text
            metadata["blocked"] = .bool(true)
        }
        conversation.botFailures = turn.botFailed ? conversation.botFailures + 1 : 0
        conversation.tags.formUnion(turn.tags)
        conversation.sentimentTrend = turn.sentimentTrend
        conversation.recentQuestions = turn.recentQuestions
        conversation.updatedAt = Date()
        if !turn.attributeUpdates.isEmpty, let visitorID = storedVisitor?.id {
            // Merged into the visitor as stored now: the page may have identified them, or they may have erased
            // their data, while the turn ran.
            let updates = turn.attributeUpdates
            _ = try await persisting {
                try await store.visitors.mergeAttributes(updates, visitor: visitorID, tenant: tenantID)
            }
        }
        let reply = replyText.map { text in
            // A rule or a model may write U+0000; the visitor is shown the text as it is stored (`NULCharacter`).
            Message(
                id: .generate(), tenantID: tenantID, conversationID: conversation.id, role: .assistant,
                text: NULCharacter.replaced(in: text),
                clientMessageID: nil, inReplyTo: message.id, metadata: metadata, createdAt: Date())
        }
        let record = TurnRecord(
            tenantID: tenantID, conversationID: conversation.id, messageID: message.id,
            decision: result.outcome.decision.name, decidedBy: result.decidedBy, replyID: reply?.id,
            trace: result.trace, createdAt: Date(), ruleInput: turn.ruleInput, storedText: turn.storedText)
        let finished = conversation
        let began = start.conversation.state
        try await persisting {
            try await store.turns.complete(record, reply: reply, conversation: finished, beganIn: began)
        }
        if turn.extensions["interrupted"] == true || conversation.state != began {
            // Cut short, perhaps because an agent took the conversation over, or moved on (to the queue) while an
            // agent may have claimed or closed it, which the store keeps: report it as it is now.
            let id = conversation.id
            conversation =
                try await persisting { try await store.conversations.get(id, tenant: tenantID) } ?? conversation
        }
        if case .escalate = result.outcome.decision, conversation.state == .queued {
            // The agent's summary from the model follows in the background; the visitor is not kept waiting.
            let assist = AgentAssist(store: store, answerers: answerers, knowledge: knowledge)
            let queued = conversation
            Task { await assist.summarizeHandoff(queued, logger: logger) }
        }
        try await meter(turn)
        Counter(label: "parley_turns_total", dimensions: [("decision", result.outcome.decision.name)]).increment()
        return ChatResult(
            messageID: message.id, reply: reply, conversation: conversation, decision: result.outcome.decision.name)
    }
}

extension ChatService {
    /// Runs only the tenant's PII redaction stage on a message the chain will not see (a human has the
    /// conversation), so that storage keeps what the tenant's setting says; nil text when nothing changes.
    func redactForStorage(_ message: Message, tenant: Tenant, logger: Logger) async throws -> (
        storedText: String?, trace: [TraceEntry]
    ) {
        var turn = Turn(
            tenantID: tenant.id, conversationID: message.conversationID, messageID: message.id,
            visitorID: VisitorID("handover"), text: message.text)
        let context = StageContext(tenant: tenant, now: Date(), logger: logger)
        guard let result = try await chains.runAlone(Self.redactionStage, on: &turn, context: context) else {
            return (nil, [])
        }
        return (turn.storedText, result.trace)
    }

    /// A whole number stored as a JSON number, or 0.
    static func int(_ value: JSONValue?) -> Int {
        if case .number(let number)? = value, number.isFinite { return Int(number) }
        return 0
    }

    /// Stores a turn that an agent's takeover stopped before it had a reply: its trace and redaction, no reply, the
    /// conversation left as the agent has it.
    private func stoppedBeforeAnswering(_ message: Message, turn: Turn, trace: [TraceEntry], now current: Conversation)
        async throws -> ChatResult
    {
        let record = TurnRecord(
            tenantID: message.tenantID, conversationID: message.conversationID, messageID: message.id,
            decision: "handover", decidedBy: nil, replyID: nil, trace: trace, createdAt: Date(),
            ruleInput: turn.ruleInput, storedText: turn.storedText)
        try await persisting {
            try await store.turns.complete(record, reply: nil, conversation: current, beganIn: current.state)
        }
        try await meter(turn)  // the model was asked, and may bill the question
        Counter(label: "parley_turns_total", dimensions: [("decision", "handover")]).increment()
        return ChatResult(messageID: message.id, reply: nil, conversation: current, decision: "handover")
    }

    /// Records the token usage of the turn's model calls: the answer's, and one that failed after it began writing
    /// (billed all the same); a cached answer costs nothing.
    private func meter(_ turn: Turn) async throws {
        for key in ["failed_generation", "generation"] {
            guard case .object(let generation) = turn.extensions[key],
                case .string(let provider)? = generation["provider"], generation["cached"] != true
            else { continue }
            let usage = TokenUsageRecord(
                tenantID: turn.tenantID, conversationID: turn.conversationID, provider: provider,
                promptTokens: Self.int(generation["prompt_tokens"]),
                completionTokens: Self.int(generation["completion_tokens"]), createdAt: Date())
            try await persisting { try await store.usage.record(usage) }
        }
    }

    /// Runs `work` where the turn's cancellation cannot cut it short: what a turn produced is always stored, even
    /// when the visitor went away or an agent took over while it ran (store reads give up in a cancelled task).
    func persisting<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await work() }.value
    }

    /// The id of the stage that redacts personal data.
    static let redactionStage = "pii-redaction"

    /// Where a conversation with this priority joins the tenant's queue: after everyone of equal or higher priority.
    func queuePosition(priority: Int, tenant: TenantID) async throws -> Int {
        let waiting = try await store.conversations.queue(tenant: tenant, limit: 10_000)
        return waiting.filter { ($0.handoff?.escalation.priority ?? 1) >= priority }.count + 1
    }
}

extension Optional {
    /// Maps the wrapped value with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

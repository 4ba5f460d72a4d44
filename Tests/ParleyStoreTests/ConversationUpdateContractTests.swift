import Foundation
import ParleyCore
import ParleyStore
import Testing

/// How finished turns change a conversation, and how a visitor's conversations are found afterwards.
@Suite("Store contract: conversations after turns")
struct ConversationUpdateContractTests {
    typealias Fixtures = StoreContractTests

    /// Completes a bare turn on `conversation` as the bot saw it.
    static func complete(_ store: any ParleyStore, _ botView: Conversation, decision: String = "continue") async throws
    {
        let message = Fixtures.customerMessage(botView, client: UUID().uuidString)
        _ = try await store.messages.appendCustomer(message)
        let record = TurnRecord(
            tenantID: botView.tenantID, conversationID: botView.id, messageID: message.id, decision: decision,
            decidedBy: nil, replyID: nil, trace: [], createdAt: Date())
        try await store.turns.complete(record, reply: nil, conversation: botView, beganIn: .bot)
    }

    @Test(
        "a turn that leaves the conversation with the bot changes neither state nor hand-off, even after a take-over",
        arguments: StoreFactory.allCases)
    func botTurnKeepsState(factory: StoreFactory) async throws {
        let (store, tenant, started) = try await Fixtures.storeWithConversation(factory)
        var botView = started
        botView.botFailures = 2
        botView.recentQuestions = ["where is my order"]
        botView.updatedAt = started.updatedAt.addingTimeInterval(5)
        try await Self.complete(store, botView)
        var stored = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
        #expect(stored.state == .bot && stored.handoff == nil)
        #expect(stored.botFailures == 2 && stored.recentQuestions == ["where is my order"])
        #expect(abs(stored.updatedAt.timeIntervalSince(botView.updatedAt)) < 0.001)

        // An agent takes over while the next bot turn runs; the turn's end does not hand the conversation back.
        var taken = stored
        taken.state = .human
        #expect(try await store.conversations.update(taken))
        try await Self.complete(store, botView)
        stored = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
        #expect(stored.state == .human)
        try await store.close()
    }

    @Test(
        "a turn that began with an agent or in the queue moves no state, even when the conversation was handed back",
        arguments: StoreFactory.allCases)
    func handoverTurnKeepsHandBack(factory: StoreFactory) async throws {
        let (store, tenant, started) = try await Fixtures.storeWithConversation(factory)
        for began in [ConversationState.human, .queued] {
            // The visitor writes while an agent has the conversation (or it waits in the queue)...
            var agentView = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
            agentView.state = began
            agentView.botFailures = 2  // the bot failed twice before the hand-over
            #expect(try await store.conversations.update(agentView))
            // ...and the agent hands it back to the bot, with a clean slate, before the visitor's turn is stored.
            var handedBack = agentView
            handedBack.state = .bot
            handedBack.handoff = nil
            handedBack.botFailures = 0
            #expect(try await store.conversations.update(handedBack))
            let message = Fixtures.customerMessage(agentView, client: UUID().uuidString)
            _ = try await store.messages.appendCustomer(message)
            let record = TurnRecord(
                tenantID: tenant.id, conversationID: started.id, messageID: message.id, decision: "handover",
                decidedBy: nil, replyID: nil, trace: [], createdAt: Date())
            try await store.turns.complete(record, reply: nil, conversation: agentView, beganIn: began)
            let stored = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
            #expect(stored.state == .bot, "began in \(began): the hand-back stands")
            #expect(stored.botFailures == 0, "began in \(began): the turn wrote back the bot failures it started from")
        }
        try await store.close()
    }

    @Test("a turn that queues the conversation sets its state and hand-off", arguments: StoreFactory.allCases)
    func escalatingTurnQueues(factory: StoreFactory) async throws {
        let (store, tenant, started) = try await Fixtures.storeWithConversation(factory)
        var botView = started
        botView.state = .queued
        botView.handoff = Handoff(
            escalation: Escalation(priority: 2, skill: "billing", reason: "asked for a person", message: nil),
            queuedAt: Date(), summary: "wants a refund")
        try await Self.complete(store, botView, decision: "escalate")
        let stored = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
        #expect(stored.state == .queued)
        #expect(stored.handoff?.escalation.skill == "billing" && stored.handoff?.summary == "wants a refund")
        try await store.close()
    }

    @Test(
        "a visitor's conversations list newest first and the latest open one is found, as turns move them",
        arguments: StoreFactory.allCases)
    func visitorConversationsByRecency(factory: StoreFactory) async throws {
        let (store, tenant) = try await Fixtures.storeWithTenant(factory)
        let visitor = VisitorID("v-recency")
        let start = Date()
        var conversations: [Conversation] = []
        for offset in 0..<3 {
            let conversation = Conversation(
                id: .generate(), tenantID: tenant.id, visitorID: visitor, state: .bot, tags: [], botFailures: 0,
                createdAt: start, updatedAt: start.addingTimeInterval(Double(offset)))
            try await store.conversations.create(conversation)
            conversations.append(conversation)
        }
        // Another visitor's conversation never shows up.
        try await store.conversations.create(Fixtures.conversation(tenant))
        var listed = try await store.conversations.list(visitor: visitor, tenant: tenant.id, limit: 10)
        #expect(listed.map(\.id) == conversations.reversed().map(\.id))

        // A turn on the oldest makes it the newest.
        var oldest = conversations[0]
        oldest.updatedAt = start.addingTimeInterval(10)
        try await Self.complete(store, oldest)
        listed = try await store.conversations.list(visitor: visitor, tenant: tenant.id, limit: 2)
        #expect(listed.map(\.id) == [conversations[0].id, conversations[2].id])
        #expect(
            try await store.conversations.latestOpen(visitor: visitor, tenant: tenant.id)?.id == conversations[0].id)

        // Closed, it is passed over for the next most recent.
        var closed = try #require(try await store.conversations.get(conversations[0].id, tenant: tenant.id))
        closed.state = .closed
        #expect(try await store.conversations.update(closed))
        #expect(
            try await store.conversations.latestOpen(visitor: visitor, tenant: tenant.id)?.id == conversations[2].id)
        try await store.close()
    }

    @Test("a conversation's turns list in order, its own only, for its tenant only", arguments: StoreFactory.allCases)
    func turnsOfConversation(factory: StoreFactory) async throws {
        let (store, tenant, first) = try await Fixtures.storeWithConversation(factory)
        let second = Fixtures.conversation(tenant)
        try await store.conversations.create(second)
        let start = Date()
        var expected: [MessageID] = []
        for index in 0..<6 {
            let conversation = index.isMultiple(of: 2) ? first : second
            let message = Fixtures.customerMessage(conversation, client: "m\(index)")
            _ = try await store.messages.appendCustomer(message)
            let record = TurnRecord(
                tenantID: tenant.id, conversationID: conversation.id, messageID: message.id, decision: "continue",
                decidedBy: nil, replyID: nil, trace: [], createdAt: start.addingTimeInterval(Double(index)))
            try await store.turns.complete(record, reply: nil, conversation: conversation, beganIn: .bot)
            if conversation.id == first.id { expected.append(message.id) }
        }
        let listed = try await store.turns.list(conversation: first.id, tenant: tenant.id)
        #expect(listed.map(\.messageID) == expected)
        #expect(listed.allSatisfy { $0.conversationID == first.id })
        let other = Fixtures.tenant("other")
        try await store.tenants.create(other)
        #expect(try await store.turns.list(conversation: first.id, tenant: other.id).isEmpty)
        try await store.close()
    }

    @Test(
        "a move with a holder leaves a conversation another agent has; any other state moves as without one",
        arguments: StoreFactory.allCases)
    func transitionWithHolder(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let (dana, eli) = (UserID("dana"), UserID("eli"))
        let conversations = store.conversations
        // Dana claims it; Eli, who looked while it was queued, tries to hand it back and to close it.
        let claimed = try await conversations.transition(
            conversation.id, tenant: tenant.id, from: [.bot], to: .human, agent: dana, handoff: nil, holder: nil,
            at: Date())
        #expect(claimed?.assignedAgent == dana)
        #expect(
            try await conversations.transition(
                conversation.id, tenant: tenant.id, from: [.human], to: .bot, agent: nil, handoff: nil, holder: eli,
                at: Date()) == nil)
        #expect(
            try await conversations.transition(
                conversation.id, tenant: tenant.id, from: [.bot, .queued, .human], to: .closed, agent: nil,
                handoff: nil, holder: eli, at: Date()) == nil)
        #expect(try await conversations.get(conversation.id, tenant: tenant.id)?.state == .human)
        // Dana may; and once it is with the bot, a holder does not matter.
        let back = try await conversations.transition(
            conversation.id, tenant: tenant.id, from: [.human], to: .bot, agent: nil, handoff: nil, holder: dana,
            at: Date())
        #expect(back?.state == .bot && back?.assignedAgent == nil)
        let closed = try await conversations.transition(
            conversation.id, tenant: tenant.id, from: [.bot, .queued, .human], to: .closed, agent: nil, handoff: nil,
            holder: eli, at: Date())
        #expect(closed?.state == .closed)
        try await store.close()
    }

    @Test(
        "an agent's message is stored only while the conversation is with an agent, and with the holder named",
        arguments: StoreFactory.allCases)
    func agentMessageNeedsTheConversation(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let (dana, eli) = (UserID("dana"), UserID("eli"))
        func message(_ text: String) -> Message {
            Message(
                id: .generate(), tenantID: tenant.id, conversationID: conversation.id, role: .agent, text: text,
                clientMessageID: nil, inReplyTo: nil, metadata: [:], createdAt: Date())
        }
        // With the bot: nobody's message goes in.
        #expect(try await !store.messages.appendWhileWithAgent(message("too early"), holder: nil))
        _ = try await store.conversations.transition(
            conversation.id, tenant: tenant.id, from: [.bot], to: .human, agent: dana, handoff: nil, holder: nil,
            at: Date())
        #expect(try await store.messages.appendWhileWithAgent(message("from dana"), holder: dana))
        #expect(try await store.messages.appendWhileWithAgent(message("from a manager"), holder: nil))
        #expect(try await !store.messages.appendWhileWithAgent(message("from eli"), holder: eli))
        // Another tenant cannot write into it, whatever it names.
        let other = Fixtures.tenant("other")
        try await store.tenants.create(other)
        var foreign = message("from elsewhere")
        foreign.tenantID = other.id
        #expect(try await !store.messages.appendWhileWithAgent(foreign, holder: nil))
        _ = try await store.conversations.transition(
            conversation.id, tenant: tenant.id, from: [.human], to: .closed, agent: nil, handoff: nil, holder: nil,
            at: Date())
        #expect(try await !store.messages.appendWhileWithAgent(message("after the close"), holder: dana))
        let texts = try await store.messages.list(
            conversation: conversation.id, tenant: tenant.id, after: nil, limit: 50
        )
        .map(\.text)
        #expect(texts == ["from dana", "from a manager"])
        try await store.close()
    }
}

import Foundation
import ParleyCore
import ParleyStore
import Testing

/// `turns.begin`: the one step that checks the conversation, stores the customer message and reads the turn's start.
@Suite("Store contract: opening a turn")
struct TurnOpeningContractTests {
    typealias Fixtures = StoreContractTests

    @Test("a turn opens with the message stored, counted, and the visitor read", arguments: StoreFactory.allCases)
    func opens(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let visitor = Visitor(
            id: conversation.visitorID, tenantID: tenant.id, attributes: ["plan": "pro"], firstSeenAt: Date(),
            lastSeenAt: Date())
        try await store.visitors.save(visitor)
        for expected in 1...3 {
            let message = Fixtures.customerMessage(conversation, client: "c\(expected)", text: "message \(expected)")
            guard case .started(let start) = try await store.turns.begin(message, visitor: conversation.visitorID)
            else {
                Issue.record("message \(expected) did not open a turn")
                return
            }
            #expect(start.customerMessageCount == expected)
            #expect(start.conversation.id == conversation.id)
            #expect(start.visitor?.attributes["plan"] == "pro")
            #expect(try await store.messages.get(message.id, tenant: tenant.id)?.text == "message \(expected)")
        }
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 3)
        try await store.close()
    }

    @Test(
        "a running turn is leased to the replica that opened it; another may redo it only once the lease runs out",
        arguments: StoreFactory.allCases)
    func turnLeases(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let message = Fixtures.customerMessage(conversation, client: "leased")
        guard case .started = try await store.turns.begin(message, visitor: conversation.visitorID) else {
            Issue.record("the message did not open a turn")
            return
        }
        let now = Date()
        #expect(try await store.turns.claim(turn: message.id, tenant: tenant.id, now: now), "its holder may redo it")
        guard let other = try await factory.replica(of: store, named: "replica-b"), let lease = store.turns.turnLease
        else {
            // One process serves a SQLite file: a turn not running here runs nowhere, and it is always granted.
            #expect(store.turns.turnLease == nil)
            try await store.close()
            return
        }
        let life = TimeInterval(lease.components.seconds)
        #expect(try await !other.turns.claim(turn: message.id, tenant: tenant.id, now: now))
        #expect(try await !other.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 0.9))
        // Renewed by its holder, the lease outlives its first term.
        try await store.turns.renew(turn: message.id, tenant: tenant.id, now: now + life * 0.9)
        #expect(try await !other.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 1.5))
        // Its holder stopped renewing: once the lease runs out, another replica takes it, and then holds it.
        #expect(try await other.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 2))
        #expect(try await !store.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 2))
        // The replica holding it, restarted (a new store of the same name), takes its own turn up at once.
        if let restarted = try await factory.replica(of: store, named: "replica-b") {
            #expect(try await restarted.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 2.1))
            try await restarted.close()
        }
        // A renewal by the replica that lost the lease changes nothing: the new holder's lease still ends on time.
        try await store.turns.renew(turn: message.id, tenant: tenant.id, now: now + life * 2.5)
        #expect(try await !store.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 2.9))
        #expect(try await store.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 3.2))
        // Another tenant's claim on the message does not touch the lease.
        #expect(try await !other.turns.claim(turn: message.id, tenant: TenantID("someone-else"), now: now))
        // A stored turn is claimed by nobody: a claim that lost the race with `complete` must not run it again.
        try await other.turns.complete(
            TurnRecord(
                tenantID: tenant.id, conversationID: conversation.id, messageID: message.id, decision: "continue",
                decidedBy: nil, replyID: nil, trace: [], createdAt: Date()),
            reply: nil, conversation: conversation, beganIn: .bot)
        #expect(try await !other.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 10))
        #expect(try await !store.turns.claim(turn: message.id, tenant: tenant.id, now: now + life * 10))
        try await other.close()
        try await store.close()
    }

    @Test("a file the visitor attaches counts as one of their messages", arguments: StoreFactory.allCases)
    func attachmentCounts(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let message = Fixtures.customerMessage(conversation, client: "unused", text: "Attached receipt.png")
        let file = Attachment(
            id: .generate(), tenantID: tenant.id, conversationID: conversation.id, messageID: message.id,
            name: "receipt.png", contentType: "image/png", size: 3, createdAt: Date())
        try await store.attachments.save(file, data: Data([1, 2, 3]), message: message)
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 1)
        guard
            case .started(let start) = try await store.turns.begin(
                Fixtures.customerMessage(conversation, client: "next"), visitor: conversation.visitorID)
        else {
            Issue.record("the next message did not open a turn")
            return
        }
        #expect(start.customerMessageCount == 2, "the rules' message_count must include the attachment")
        try await store.close()
    }

    @Test("a resent client message id returns the stored message and counts nothing", arguments: StoreFactory.allCases)
    func duplicate(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let first = Fixtures.customerMessage(conversation, client: "same", text: "first")
        guard case .started = try await store.turns.begin(first, visitor: conversation.visitorID) else {
            Issue.record("the first message did not open a turn")
            return
        }
        let again = Fixtures.customerMessage(conversation, client: "same", text: "second")
        guard case .duplicate(let stored) = try await store.turns.begin(again, visitor: conversation.visitorID) else {
            Issue.record("the resent message was not recognised")
            return
        }
        #expect(stored.id == first.id && stored.text == "first")
        #expect(try await store.messages.get(again.id, tenant: tenant.id) == nil)
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 1)
        try await store.close()
    }

    @Test(
        "a message resent after its conversation closed is recognised; a new one is refused",
        arguments: StoreFactory.allCases)
    func resentAfterClose(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let first = Fixtures.customerMessage(conversation, client: "before", text: "sent before the close")
        guard case .started = try await store.turns.begin(first, visitor: conversation.visitorID) else {
            Issue.record("the first message did not open a turn")
            return
        }
        var closed = conversation
        closed.state = .closed
        #expect(try await store.conversations.update(closed))
        let again = Fixtures.customerMessage(conversation, client: "before", text: "sent again")
        guard case .duplicate(let stored) = try await store.turns.begin(again, visitor: conversation.visitorID) else {
            Issue.record("the message resent after the close was not recognised")
            return
        }
        #expect(stored.id == first.id && stored.text == "sent before the close")
        let late = Fixtures.customerMessage(conversation, client: "after")
        #expect(try await store.turns.begin(late, visitor: conversation.visitorID) == .closed)
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 1)
        try await store.close()
    }

    @Test(
        "another visitor's, another tenant's or a closed conversation opens nothing and stores nothing",
        arguments: StoreFactory.allCases)
    func refusals(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let stranger = Fixtures.customerMessage(conversation, client: "x")
        #expect(try await store.turns.begin(stranger, visitor: VisitorID("someone-else")) == .notFound)

        let other = Fixtures.tenant("other")
        try await store.tenants.create(other)
        var crossTenant = Fixtures.customerMessage(conversation, client: "y")
        crossTenant.tenantID = other.id
        #expect(try await store.turns.begin(crossTenant, visitor: conversation.visitorID) == .notFound)

        var closed = conversation
        closed.state = .closed
        #expect(try await store.conversations.update(closed))
        let late = Fixtures.customerMessage(conversation, client: "z")
        #expect(try await store.turns.begin(late, visitor: conversation.visitorID) == .closed)

        #expect(
            try await store.messages.list(conversation: conversation.id, tenant: tenant.id, after: nil, limit: 10)
                .isEmpty)
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 0)
        try await store.close()
    }

    @Test(
        "concurrent openings each see their own count; duplicates among them count once",
        arguments: StoreFactory.allCases)
    func concurrent(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let message = Fixtures.customerMessage(conversation, client: "c\(index % 20)")
                    if case .started(let start) = try await store.turns.begin(message, visitor: conversation.visitorID)
                    {
                        return start.customerMessageCount
                    }
                    return nil
                }
            }
            return try await group.reduce(into: [Int]()) { counts, count in count.map { counts.append($0) } }
        }
        #expect(counts.sorted() == Array(1...20))
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 20)
        try await store.close()
    }

    @Test(
        "a transaction that fails after writing leaves nothing, and the writes committed beside it stand",
        arguments: StoreFactory.allCases)
    func failedUnitRollsBackAlone(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Fixtures.storeWithConversation(factory)
        // A turn record naming a reply that is stored in the same transaction, then a failing insert (the same turn
        // twice): the second completion must leave neither its reply nor its changes.
        let message = Fixtures.customerMessage(conversation, client: "1")
        _ = try await store.turns.begin(message, visitor: conversation.visitorID)
        let record = TurnRecord(
            tenantID: tenant.id, conversationID: conversation.id, messageID: message.id, decision: "continue",
            decidedBy: nil, replyID: nil, trace: [], createdAt: Date())
        try await store.turns.complete(record, reply: nil, conversation: conversation, beganIn: .bot)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let reply = Message(
                        id: .generate(), tenantID: tenant.id, conversationID: conversation.id, role: .assistant,
                        text: "again \(index)", clientMessageID: nil, inReplyTo: message.id, metadata: [:],
                        createdAt: Date())
                    do {
                        try await store.turns.complete(record, reply: reply, conversation: conversation, beganIn: .bot)
                        return true
                    } catch {
                        return false
                    }
                }
                group.addTask {
                    try await store.messages.append(
                        Message(
                            id: .generate(), tenantID: tenant.id, conversationID: conversation.id, role: .agent,
                            text: "agent \(index)", clientMessageID: nil, inReplyTo: nil, metadata: [:],
                            createdAt: Date()))
                    return true
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0 }.count == 8, "every second completion of the same turn fails")
        let stored = try await store.messages.list(
            conversation: conversation.id, tenant: tenant.id, after: nil, limit: 100)
        #expect(stored.filter { $0.role == .assistant }.isEmpty, "no reply of a failed completion is kept")
        #expect(stored.filter { $0.role == .agent }.count == 8)
        try await store.close()
    }
}

import Foundation
import ParleyCore
import ParleyStore
import Testing

/// The repository contract: every store implementation must pass these, written against the protocols only.
@Suite("Store contract")
struct StoreContractTests {
    static func tenant(_ name: String) -> Tenant {
        Tenant(id: .generate(), name: name, widgetKey: "wk-\(UUID().uuidString)", fallbackText: "fb", createdAt: Date())
    }

    static func conversation(_ tenant: Tenant) -> Conversation {
        Conversation(
            id: .generate(), tenantID: tenant.id, visitorID: VisitorID("v-\(tenant.name)"), state: .bot, tags: [],
            botFailures: 0, createdAt: Date(), updatedAt: Date())
    }

    static func customerMessage(_ conversation: Conversation, client: String, text: String = "hi") -> Message {
        Message(
            id: .generate(), tenantID: conversation.tenantID, conversationID: conversation.id, role: .customer,
            text: text, clientMessageID: client, inReplyTo: nil, metadata: [:], createdAt: Date())
    }

    /// An assistant message a proactive rule sends in a conversation, now.
    static func proactiveMessage(_ conversation: Conversation, text: String = "Need a hand?") -> Message {
        Message(
            id: .generate(), tenantID: conversation.tenantID, conversationID: conversation.id, role: .assistant,
            text: text, clientMessageID: nil, inReplyTo: nil, metadata: ["proactive": .bool(true)], createdAt: Date())
    }

    /// A refresh token of `user` that expires in an hour, in a session that ends a day from `now` unless told.
    static func refreshToken(
        _ hash: String, of user: User, family: String, now: Date, sessionEnd: Date? = nil
    ) -> RefreshTokenRecord {
        RefreshTokenRecord(
            tokenHash: hash, userID: user.id, tenantID: user.tenantID, familyID: family, expiresAt: now + 3600,
            sessionEndsAt: sessionEnd ?? now + 86_400)
    }

    /// A fresh store with one tenant in it.
    static func storeWithTenant(_ factory: StoreFactory) async throws -> (any ParleyStore, Tenant) {
        let store = try await factory.make()
        let tenant = tenant("t")
        try await store.tenants.create(tenant)
        return (store, tenant)
    }

    /// A fresh store with one tenant and one of its conversations.
    static func storeWithConversation(_ factory: StoreFactory) async throws -> (any ParleyStore, Tenant, Conversation) {
        let (store, tenant) = try await storeWithTenant(factory)
        let conversation = conversation(tenant)
        try await store.conversations.create(conversation)
        return (store, tenant, conversation)
    }

    @Test("migrations apply once", arguments: StoreFactory.allCases)
    func migrations(factory: StoreFactory) async throws {
        let store = try await factory.make()
        #expect(try await store.migrate().isEmpty)
        try await store.ping()
        try await store.close()
    }

    @Test("one tenant cannot read another's data through any repository", arguments: StoreFactory.allCases)
    func isolation(factory: StoreFactory) async throws {
        let store = try await factory.make()
        let a = Self.tenant("a")
        let b = Self.tenant("b")
        try await store.tenants.create(a)
        try await store.tenants.create(b)
        let conversation = Self.conversation(a)
        try await store.conversations.create(conversation)
        let message = Self.customerMessage(conversation, client: "c1")
        _ = try await store.messages.appendCustomer(message)
        let domain = WebsiteDomain(
            id: .generate(), tenantID: a.id, host: "a.example.com", verificationToken: "t", verifiedAt: Date(),
            createdAt: Date())
        try await store.domains.create(domain)
        let key = ApiKey(
            id: .generate(), tenantID: a.id, name: "k", prefix: "prl_x", role: .analyst, createdAt: Date(),
            revokedAt: nil)
        try await store.apiKeys.create(key, secretHash: "hash-a")
        _ = try await store.chains.activate(ChainConfig(stages: []), tenant: a.id, by: nil)

        #expect(try await store.conversations.get(conversation.id, tenant: b.id) == nil)
        #expect(try await store.conversations.list(tenant: b.id, state: nil, limit: 10).isEmpty)
        #expect(try await store.messages.get(message.id, tenant: b.id) == nil)
        #expect(
            try await store.messages.list(conversation: conversation.id, tenant: b.id, after: nil, limit: 10).isEmpty)
        #expect(try await store.domains.get(domain.id, tenant: b.id) == nil)
        #expect(try await store.domains.isVerified(host: "a.example.com", tenant: b.id) == false)
        #expect(try await store.domains.delete(domain.id, tenant: b.id) == false)
        #expect(try await store.apiKeys.list(tenant: b.id).isEmpty)
        #expect(try await store.apiKeys.revoke(key.id, tenant: b.id, at: Date()) == false)
        #expect(try await store.chains.active(tenant: b.id) == nil)
        #expect(
            try await store.conversations.update(
                Conversation(
                    id: conversation.id, tenantID: b.id, visitorID: conversation.visitorID, state: .closed, tags: [],
                    botFailures: 0, createdAt: Date(), updatedAt: Date())) == false)
        // A's data is intact and visible to A.
        #expect(try await store.conversations.get(conversation.id, tenant: a.id)?.state == .bot)
        #expect(try await store.domains.isVerified(host: "a.example.com", tenant: a.id))
        try await store.close()
    }

    @Test(
        "a conversation's feedback is read in its messages' order, and only the tenant's",
        arguments: StoreFactory.allCases)
    func conversationFeedback(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Self.storeWithConversation(factory)
        let other = Self.conversation(tenant)
        try await store.conversations.create(other)
        var replies: [Message] = []
        for (index, target) in [conversation, conversation, other].enumerated() {
            let reply = Self.proactiveMessage(target, text: "reply \(index)")
            try await store.messages.append(reply)
            replies.append(reply)
        }
        // Rated newest first: the order read is the messages' own.
        for (reply, rating) in zip(replies.reversed(), [1, -1, 1]) {
            try await store.messages.saveFeedback(
                Feedback(
                    messageID: reply.id, tenantID: tenant.id, rating: rating, comment: "on \(reply.text)",
                    createdAt: Date()))
        }
        let read = try await store.messages.feedback(conversation: conversation.id, tenant: tenant.id)
        #expect(read.map(\.messageID) == [replies[0].id, replies[1].id])
        #expect(read.map(\.comment) == ["on reply 0", "on reply 1"])
        let stranger = Self.tenant("stranger")
        try await store.tenants.create(stranger)
        #expect(try await store.messages.feedback(conversation: conversation.id, tenant: stranger.id).isEmpty)
        // Another tenant's feedback on this tenant's message changes nothing, whatever its caller checked.
        try await store.messages.saveFeedback(
            Feedback(messageID: replies[0].id, tenantID: stranger.id, rating: -1, comment: "planted", createdAt: Date())
        )
        #expect(try await store.messages.feedback(for: replies[0].id, tenant: tenant.id)?.comment == "on reply 0")
        #expect(try await store.messages.feedback(for: replies[0].id, tenant: stranger.id) == nil)
        try await store.close()
    }

    @Test("a customer message is stored once per client message id", arguments: StoreFactory.allCases)
    func idempotentAppend(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Self.storeWithConversation(factory)
        let first = Self.customerMessage(conversation, client: "same")
        #expect(try await store.messages.appendCustomer(first) == .created(first))
        let again = Self.customerMessage(conversation, client: "same", text: "different")
        guard case .duplicate(let existing) = try await store.messages.appendCustomer(again) else {
            Issue.record("expected a duplicate")
            return
        }
        #expect(existing.id == first.id)
        #expect(existing.text == "hi")
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 1)
        try await store.close()
    }

    @Test(
        "a turn stores reply, trace and conversation together; history pages by message",
        arguments: StoreFactory.allCases)
    func turns(factory: StoreFactory) async throws {
        let (store, tenant, created) = try await Self.storeWithConversation(factory)
        var conversation = created
        let message = Self.customerMessage(conversation, client: "1")
        _ = try await store.messages.appendCustomer(message)
        let reply = Message(
            id: .generate(), tenantID: tenant.id, conversationID: conversation.id, role: .assistant, text: "answer",
            clientMessageID: nil, inReplyTo: message.id, metadata: ["decision": "continue"], createdAt: Date())
        conversation.state = .queued
        conversation.tags = ["billing"]
        let trace = [
            TraceEntry(stage: "fallback", version: "1.0.0", durationMicros: 12, decision: "continue", reason: "r")
        ]
        let record = TurnRecord(
            tenantID: tenant.id, conversationID: conversation.id, messageID: message.id, decision: "escalate",
            decidedBy: "escalation", replyID: reply.id, trace: trace, createdAt: Date())
        try await store.turns.complete(record, reply: reply, conversation: conversation, beganIn: .bot)

        let stored = try #require(try await store.turns.get(message: message.id, tenant: tenant.id))
        #expect(stored.trace == trace)
        #expect(stored.replyID == reply.id)
        #expect(try await store.turns.get(message: message.id, tenant: TenantID("other")) == nil)
        #expect(try await store.conversations.get(conversation.id, tenant: tenant.id)?.tags == ["billing"])
        let all = try await store.messages.list(conversation: conversation.id, tenant: tenant.id, after: nil, limit: 10)
        #expect(all.map(\.id) == [message.id, reply.id])
        let after = try await store.messages.list(
            conversation: conversation.id, tenant: tenant.id, after: message.id, limit: 10)
        #expect(after.map(\.id) == [reply.id])
        #expect(after.first?.metadata["decision"] == "continue")
        try await store.close()
    }

    @Test(
        "completing a turn merges into the stored conversation and keeps a hand-over made meanwhile",
        arguments: StoreFactory.allCases)
    func completeMerges(factory: StoreFactory) async throws {
        let (store, tenant, started) = try await Self.storeWithConversation(factory)
        // Meanwhile an agent takes the conversation and tags it.
        var taken = started
        taken.state = .human
        taken.tags = ["vip"]
        #expect(try await store.conversations.update(taken))
        // The bot's turn, begun before the hand-over, finishes with its own view of the conversation.
        let message = Self.customerMessage(started, client: "1")
        _ = try await store.messages.appendCustomer(message)
        var botView = started
        botView.state = .queued
        botView.tags = ["billing"]
        botView.botFailures = 1
        let record = TurnRecord(
            tenantID: tenant.id, conversationID: started.id, messageID: message.id, decision: "escalate",
            decidedBy: "escalation", replyID: nil, trace: [], createdAt: Date())
        try await store.turns.complete(record, reply: nil, conversation: botView, beganIn: .bot)
        let stored = try #require(try await store.conversations.get(started.id, tenant: tenant.id))
        #expect(stored.state == .human)
        #expect(stored.tags == ["vip", "billing"])
        #expect(stored.botFailures == 1)
        try await store.close()
    }

    @Test("chain versions: activate pushes, rollback pops to what was active before", arguments: StoreFactory.allCases)
    func chainVersions(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        #expect(try await store.chains.rollback(tenant: tenant.id) == nil)
        let one = ChainConfig(stages: [ChainEntry(stage: "fallback")])
        let two = ChainConfig(stages: [ChainEntry(stage: "fallback", enabled: false)])
        #expect(try await store.chains.activate(one, tenant: tenant.id, by: nil).version == 1)
        #expect(try await store.chains.rollback(tenant: tenant.id) == nil)
        #expect(try await store.chains.activate(two, tenant: tenant.id, by: UserID("u")).version == 2)
        #expect(try await store.chains.active(tenant: tenant.id)?.config == two)
        let restored = try await store.chains.rollback(tenant: tenant.id)
        #expect(restored?.version == 1)
        #expect(try await store.chains.active(tenant: tenant.id)?.config == one)
        #expect(try await store.chains.activate(two, tenant: tenant.id, by: nil).version == 3)
        #expect(try await store.chains.versions(tenant: tenant.id).map(\.version) == [3, 2, 1])
        try await store.close()
    }

    @Test("deleting a tenant removes what it owns and nothing of another's", arguments: StoreFactory.allCases)
    func tenantDeletion(factory: StoreFactory) async throws {
        let (store, doomed, conversation) = try await Self.storeWithConversation(factory)
        let kept = Self.tenant("kept")
        try await store.tenants.create(kept)
        let keptConversation = Self.conversation(kept)
        try await store.conversations.create(keptConversation)
        for (tenant, email) in [(doomed, "gone@example.com"), (kept, "kept@example.com")] {
            try await store.users.create(
                User(
                    id: .generate(), tenantID: tenant.id, email: email, name: "A", role: .enterpriseAdmin,
                    passwordHash: "x", createdAt: Date()))
        }
        _ = try await store.turns.begin(
            Self.customerMessage(conversation, client: "c"), visitor: conversation.visitorID)
        _ = try await store.turns.begin(
            Self.customerMessage(keptConversation, client: "c"), visitor: keptConversation.visitorID)

        #expect(try await store.tenants.delete(doomed.id))
        #expect(try await !store.tenants.delete(doomed.id), "a second delete finds nothing")
        #expect(try await store.tenants.get(doomed.id) == nil)
        #expect(try await store.tenants.find(widgetKey: doomed.widgetKey) == nil)
        #expect(try await store.users.find(email: "gone@example.com") == nil)
        #expect(try await store.conversations.get(conversation.id, tenant: doomed.id) == nil)
        #expect(try await store.tenants.get(kept.id) != nil)
        #expect(try await store.users.find(email: "kept@example.com") != nil)
        #expect(
            try await store.messages.list(
                conversation: keptConversation.id, tenant: kept.id, after: nil, limit: 10
            ).count == 1)
        try await store.close()
    }

    @Test("refresh tokens are single use; reuse revokes the family", arguments: StoreFactory.allCases)
    func refreshTokens(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        let user = User(
            id: .generate(), tenantID: tenant.id, email: "A@Example.com", name: "A", role: .analyst, passwordHash: "x",
            createdAt: Date())
        try await store.users.create(user)
        #expect(try await store.users.find(email: "a@example.com")?.id == user.id)
        let now = Date()
        func token(_ hash: String, family: String, sessionEnd: Date = now + 86_400) -> RefreshTokenRecord {
            Self.refreshToken(hash, of: user, family: family, now: now, sessionEnd: sessionEnd)
        }
        let tokens = store.refreshTokens
        try await tokens.create(token("h1", family: "f"))
        try await tokens.create(token("h2", family: "f"))
        guard
            case .accepted(let successor) = try await tokens.rotate(
                tokenHash: "h1", successorHash: "s1", now: now, lifetime: 600)
        else {
            Issue.record("first use must be accepted")
            return
        }
        #expect(successor.userID == user.id && successor.familyID == "f" && successor.tokenHash == "s1")
        #expect(abs(successor.expiresAt.timeIntervalSince(now + 600)) < 0.001)
        // A replay of the spent token revokes the family: the successor and the sibling die with it.
        #expect(try await tokens.rotate(tokenHash: "h1", successorHash: "x", now: now, lifetime: 600) == .reused)
        #expect(try await tokens.rotate(tokenHash: "s1", successorHash: "x", now: now, lifetime: 600) == .invalid)
        #expect(try await tokens.rotate(tokenHash: "h2", successorHash: "x", now: now, lifetime: 600) == .invalid)
        #expect(try await tokens.rotate(tokenHash: "unknown", successorHash: "x", now: now, lifetime: 600) == .invalid)

        // A sign-out with the spent token revokes its successor.
        try await tokens.create(token("g1", family: "g"))
        #expect(try await tokens.rotate(tokenHash: "g1", successorHash: "g2", now: now, lifetime: 600) != .invalid)
        try await tokens.revokeFamily(ofTokenHash: "g1")
        #expect(try await tokens.rotate(tokenHash: "g2", successorHash: "x", now: now, lifetime: 600) == .invalid)

        // However often it is refreshed, a sign-in ends at its session's end.
        try await tokens.create(token("e1", family: "e", sessionEnd: now + 10))
        guard
            case .accepted(let capped) = try await tokens.rotate(
                tokenHash: "e1", successorHash: "e2", now: now, lifetime: 3600)
        else {
            Issue.record("a token before its session's end must be accepted")
            return
        }
        #expect(abs(capped.expiresAt.timeIntervalSince(now + 10)) < 0.001)
        #expect(
            try await tokens.rotate(tokenHash: "e2", successorHash: "e3", now: now + 11, lifetime: 3600) == .invalid)
        try await store.close()
    }

    @Test(
        "a sign-out or a password change at the same time as a refresh leaves no live token",
        arguments: StoreFactory.allCases)
    func signOutDuringRefresh(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        let user = User(
            id: .generate(), tenantID: tenant.id, email: "b@example.com", name: "B", role: .analyst, passwordHash: "x",
            createdAt: Date())
        try await store.users.create(user)
        let tokens = store.refreshTokens
        let now = Date()
        for round in 0..<25 {
            try await tokens.create(Self.refreshToken("t\(round)", of: user, family: "family-\(round)", now: now))
            async let rotated = tokens.rotate(
                tokenHash: "t\(round)", successorHash: "u\(round)", now: now, lifetime: 3600)
            async let signedOut: Void = tokens.revokeFamily(ofTokenHash: "t\(round)")
            _ = try await (rotated, signedOut)
            #expect(
                try await tokens.rotate(tokenHash: "u\(round)", successorHash: "v\(round)", now: now, lifetime: 3600)
                    == .invalid, "round \(round): the refreshed session outlived its sign-out")
        }
        // A password change ends every session, one being refreshed at that moment included.
        for round in 0..<25 {
            try await tokens.create(Self.refreshToken("p\(round)", of: user, family: "password-\(round)", now: now))
            async let rotated = tokens.rotate(
                tokenHash: "p\(round)", successorHash: "q\(round)", now: now, lifetime: 3600)
            async let changed = store.users.setPassword(user.id, tenant: tenant.id, hash: "h\(round)")
            _ = try await (rotated, changed)
            #expect(
                try await tokens.rotate(tokenHash: "q\(round)", successorHash: "r\(round)", now: now, lifetime: 3600)
                    == .invalid, "round \(round): the refreshed session outlived the password change")
        }
        try await store.close()
    }

    @Test("changes to a tenant's settings made at the same time all land", arguments: StoreFactory.allCases)
    func settingsChangesAtOnce(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask {
                    _ = try await store.assistants.update(tenant: tenant.id) {
                        $0.persona.allowedTopics.append("topic \(index)")
                    }
                    _ = try await store.widgets.update(tenant: tenant.id) {
                        $0.strings["l\(index)"] = WidgetStrings(title: "Title \(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.assistants.get(tenant: tenant.id)?.persona.allowedTopics.count == 12)
        #expect(try await store.widgets.get(tenant: tenant.id)?.strings.count == 12)
        // An error thrown by the change stores nothing.
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            _ = try await store.assistants.update(tenant: tenant.id) {
                $0.persona.allowedTopics = []
                throw Refused()
            }
        }
        #expect(try await store.assistants.get(tenant: tenant.id)?.persona.allowedTopics.count == 12)
        try await store.close()
    }

    @Test("unique values conflict with a StoreError", arguments: StoreFactory.allCases)
    func conflicts(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        let user = User(
            id: .generate(), tenantID: tenant.id, email: "a@example.com", name: "A", role: .analyst, passwordHash: "x",
            createdAt: Date())
        try await store.users.create(user)
        var twin = user
        twin.id = .generate()
        await #expect(throws: StoreError.self) { try await store.users.create(twin) }
        let domain = WebsiteDomain(
            id: .generate(), tenantID: tenant.id, host: "x.example.com", verificationToken: "t", verifiedAt: nil,
            createdAt: Date())
        try await store.domains.create(domain)
        var again = domain
        again.id = .generate()
        await #expect(throws: StoreError.self) { try await store.domains.create(again) }
        try await store.close()
    }

    @Test("API keys are found by hash until revoked", arguments: StoreFactory.allCases)
    func apiKeys(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        let key = ApiKey(
            id: .generate(), tenantID: tenant.id, name: "ci", prefix: "prl_abc", role: .analyst, createdAt: Date(),
            revokedAt: nil)
        try await store.apiKeys.create(key, secretHash: "secret-hash")
        #expect(try await store.apiKeys.find(secretHash: "secret-hash")?.id == key.id)
        #expect(try await store.apiKeys.revoke(key.id, tenant: tenant.id, at: Date()))
        #expect(try await store.apiKeys.find(secretHash: "secret-hash") == nil)
        #expect(try await store.apiKeys.list(tenant: tenant.id).first?.revokedAt != nil)
        try await store.close()
    }

    @Test("concurrent writers all land", arguments: StoreFactory.allCases)
    func concurrency(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await Self.storeWithConversation(factory)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    _ = try await store.messages.appendCustomer(
                        Self.customerMessage(conversation, client: "c\(index % 25)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.messages.customerMessageCount(conversation: conversation.id, tenant: tenant.id) == 25)
        try await store.close()
    }
}

extension StoreContractTests {
    @Test(
        "writes committed together still fail alone: a conflicting write fails, the others in its batch land",
        arguments: StoreFactory.allCases)
    func groupCommitIsolation(factory: StoreFactory) async throws {
        let (store, tenant) = try await Self.storeWithTenant(factory)
        let conversations = (0..<12).map { _ in Self.conversation(tenant) }
        let conflicts = try await withThrowingTaskGroup(of: Bool.self) { group in
            for conversation in conversations {
                group.addTask {
                    try await store.conversations.create(conversation)
                    return false
                }
            }
            for index in 0..<6 {
                group.addTask {
                    let user = User(
                        id: .generate(), tenantID: tenant.id, email: "same@example.com", name: "U\(index)",
                        role: .analyst, passwordHash: "x", createdAt: Date())
                    do {
                        try await store.users.create(user)
                        return false
                    } catch StoreError.conflict {
                        return true
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(conflicts == 5, "exactly one of the six same-email users is stored")
        for conversation in conversations {
            #expect(try await store.conversations.get(conversation.id, tenant: tenant.id) != nil)
        }
        #expect(try await store.users.find(email: "same@example.com") != nil)
        try await store.close()
    }
}

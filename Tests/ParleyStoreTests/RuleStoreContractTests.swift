import Foundation
import ParleyCore
import ParleyStore
import Testing

/// The contract of rule storage, shadow results, proactive deliveries and the rule input kept with turns.
@Suite("Store contract: rules")
struct RuleStoreContractTests {
    @Test(
        "versions number per rule; activation, deactivation and rollback form a stack", arguments: StoreFactory.allCases
    )
    func activationStack(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let rules = store.rules
        let v1 = try await rules.save(name: "refund", source: "-- v1", fixtures: nil, tenant: tenant.id, by: nil)
        let v2 = try await rules.save(name: "refund", source: "-- v2", fixtures: "{}", tenant: tenant.id, by: nil)
        let other = try await rules.save(name: "vip", source: "-- vip", fixtures: nil, tenant: tenant.id, by: nil)
        #expect([v1.version, v2.version, other.version] == [1, 2, 1] as [Int])
        #expect(try await rules.active(tenant: tenant.id).isEmpty, "saving does not activate")
        #expect(try await rules.rollback(name: "refund", tenant: tenant.id) == nil)

        #expect(try await rules.activate(name: "refund", version: 1, tenant: tenant.id))
        #expect(try await rules.activate(name: "refund", version: 2, tenant: tenant.id))
        #expect(try await rules.activate(name: "vip", version: 1, tenant: tenant.id))
        #expect(try await !rules.activate(name: "refund", version: 9, tenant: tenant.id))
        #expect(try await rules.active(tenant: tenant.id).map { "\($0.name)@\($0.version)" } == ["refund@2", "vip@1"])

        #expect(try await rules.deactivate(name: "vip", tenant: tenant.id))
        #expect(try await !rules.deactivate(name: "missing", tenant: tenant.id))
        #expect(try await rules.active(tenant: tenant.id).map(\.name) == ["refund"])
        // Rolling back the deactivation brings vip@1 back; rolling back refund returns to v1, then nothing earlier.
        #expect(try await rules.rollback(name: "vip", tenant: tenant.id) == .some(1))
        #expect(try await rules.rollback(name: "refund", tenant: tenant.id) == .some(1))
        #expect(try await rules.rollback(name: "refund", tenant: tenant.id) == nil)
        #expect(try await rules.active(tenant: tenant.id).map { "\($0.name)@\($0.version)" } == ["refund@1", "vip@1"])

        let statuses = try await rules.statuses(tenant: tenant.id)
        #expect(
            statuses == [
                RuleStatus(name: "refund", latestVersion: 2, activeVersion: 1, shadowVersion: nil),
                RuleStatus(name: "vip", latestVersion: 1, activeVersion: 1, shadowVersion: nil),
            ])
        #expect(try await rules.versions(name: "refund", tenant: tenant.id).map(\.version) == [2, 1])
        #expect(try await rules.version(name: "refund", version: 2, tenant: tenant.id)?.fixtures == "{}")
        try await store.close()
    }

    @Test("shadows and their results are kept per candidate version", arguments: StoreFactory.allCases)
    func shadows(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await StoreContractTests.storeWithConversation(factory)
        let rules = store.rules
        _ = try await rules.save(name: "refund", source: "-- v1", fixtures: nil, tenant: tenant.id, by: nil)
        _ = try await rules.save(name: "refund", source: "-- v2", fixtures: nil, tenant: tenant.id, by: nil)
        #expect(try await !rules.setShadow(name: "refund", version: 7, tenant: tenant.id))
        #expect(try await rules.setShadow(name: "refund", version: 2, tenant: tenant.id))
        #expect(try await rules.shadows(tenant: tenant.id).map(\.version) == [2])
        #expect(try await rules.statuses(tenant: tenant.id).first?.shadowVersion == 2)

        func result(_ agrees: Bool, candidate: Int = 2) -> ShadowResult {
            ShadowResult(
                tenantID: tenant.id, rule: "refund", activeVersion: 1, candidateVersion: candidate,
                conversationID: conversation.id, messageID: .generate(), active: ["tag": ["a"]],
                candidate: agrees ? ["tag": ["a"]] : .null, agrees: agrees, createdAt: Date())
        }
        try await rules.recordShadowResults([result(true), result(false), result(false), result(false, candidate: 3)])
        let counts = try await rules.shadowCounts(name: "refund", candidateVersion: 2, tenant: tenant.id)
        #expect(counts.total == 3)
        #expect(counts.disagreements == 2)
        let disagreements = try await rules.shadowResults(
            name: "refund", candidateVersion: 2, tenant: tenant.id, disagreementsOnly: true, limit: 10)
        #expect(disagreements.count == 2)
        #expect(disagreements.allSatisfy { !$0.agrees && $0.candidate == .null && $0.active == ["tag": ["a"]] })
        #expect(
            try await rules.shadowResults(
                name: "refund", candidateVersion: 2, tenant: tenant.id, disagreementsOnly: false, limit: 10
            ).count == 3)

        // Deactivating a rule also ends its shadow.
        _ = try await rules.activate(name: "refund", version: 1, tenant: tenant.id)
        _ = try await rules.deactivate(name: "refund", tenant: tenant.id)
        #expect(try await rules.shadows(tenant: tenant.id).isEmpty)
        try await store.close()
    }

    @Test("rules, shadow results and deliveries never cross tenants", arguments: StoreFactory.allCases)
    func isolation(factory: StoreFactory) async throws {
        let (store, a, conversation) = try await StoreContractTests.storeWithConversation(factory)
        let b = StoreContractTests.tenant("b")
        try await store.tenants.create(b)
        _ = try await store.rules.save(name: "secret", source: "-- a", fixtures: nil, tenant: a.id, by: nil)
        _ = try await store.rules.activate(name: "secret", version: 1, tenant: a.id)
        _ = try await store.rules.setShadow(name: "secret", version: 1, tenant: a.id)
        try await store.rules.recordShadowResults([
            ShadowResult(
                tenantID: a.id, rule: "secret", activeVersion: 1, candidateVersion: 1, conversationID: conversation.id,
                messageID: .generate(), active: .null, candidate: .null, agrees: true, createdAt: Date())
        ])
        #expect(
            try await store.proactive.deliver(
                StoreContractTests.proactiveMessage(conversation), rule: "secret", visitor: conversation.visitorID,
                allowance: ProactiveAllowance(cooldown: 60, cap: 3, capWindow: 3_600)) == .sent)

        #expect(try await store.rules.active(tenant: b.id).isEmpty)
        #expect(try await store.rules.statuses(tenant: b.id).isEmpty)
        #expect(try await store.rules.shadows(tenant: b.id).isEmpty)
        #expect(try await store.rules.versions(name: "secret", tenant: b.id).isEmpty)
        #expect(try await store.rules.version(name: "secret", version: 1, tenant: b.id) == nil)
        #expect(try await !store.rules.activate(name: "secret", version: 1, tenant: b.id))
        #expect(try await !store.rules.setShadow(name: "secret", version: 1, tenant: b.id))
        #expect(try await store.rules.rollback(name: "secret", tenant: b.id) == nil)
        #expect(try await store.rules.shadowCounts(name: "secret", candidateVersion: 1, tenant: b.id).total == 0)
        #expect(
            try await store.proactive.deliveries(
                visitor: conversation.visitorID, tenant: b.id, since: .distantPast
            ).isEmpty)
        #expect(
            try await store.proactive.deliveries(
                visitor: conversation.visitorID, tenant: a.id, since: .distantPast
            ).map(\.rule) == ["secret"])
        try await store.close()
    }

    @Test(
        "proactive deliveries keep the rule's cooldown and the visitor's cap, also when events come at once",
        arguments: StoreFactory.allCases)
    func proactiveDeliveriesUnderRaces(factory: StoreFactory) async throws {
        let (store, _, conversation) = try await StoreContractTests.storeWithConversation(factory)
        let allowance = ProactiveAllowance(cooldown: 600, cap: 3, capWindow: 3_600)
        // Eight events at once for one rule: one message, seven held back by the cooldown.
        let sameRule = try await withThrowingTaskGroup(of: ProactiveOutcome.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await store.proactive.deliver(
                        StoreContractTests.proactiveMessage(conversation), rule: "welcome",
                        visitor: conversation.visitorID, allowance: allowance)
                }
            }
            return try await group.reduce(into: [ProactiveOutcome]()) { $0.append($1) }
        }
        #expect(sameRule.filter { $0 == .sent }.count == 1, "\(sameRule)")
        #expect(sameRule.filter { $0 == .cooldown }.count == 7, "\(sameRule)")
        // Six rules at once: the cap of three lets two more through.
        let otherRules = try await withThrowingTaskGroup(of: ProactiveOutcome.self) { group in
            for index in 0..<6 {
                group.addTask {
                    try await store.proactive.deliver(
                        StoreContractTests.proactiveMessage(conversation), rule: "rule-\(index)",
                        visitor: conversation.visitorID, allowance: allowance)
                }
            }
            return try await group.reduce(into: [ProactiveOutcome]()) { $0.append($1) }
        }
        #expect(otherRules.filter { $0 == .sent }.count == 2, "\(otherRules)")
        #expect(otherRules.filter { $0 == .frequencyCap }.count == 4, "\(otherRules)")
        // Each delivery stored its message, and nothing held back did.
        let stored = try await store.messages.list(
            conversation: conversation.id, tenant: conversation.tenantID, after: nil, limit: 50)
        #expect(stored.count == 3)
        let deliveries = try await store.proactive.deliveries(
            visitor: conversation.visitorID, tenant: conversation.tenantID, since: .distantPast)
        #expect(deliveries.count == 3)
        // A conversation an agent has gets none, whatever the allowance.
        _ = try await store.conversations.transition(
            conversation.id, tenant: conversation.tenantID, from: [.bot], to: .human, agent: UserID("agent"),
            handoff: nil, holder: nil, at: Date())
        #expect(
            try await store.proactive.deliver(
                StoreContractTests.proactiveMessage(conversation), rule: "fresh", visitor: conversation.visitorID,
                allowance: ProactiveAllowance(cooldown: 0, cap: 100, capWindow: 3_600)) == .notWithBot)
        #expect(
            try await store.messages.list(
                conversation: conversation.id, tenant: conversation.tenantID, after: nil, limit: 50
            ).count == 3)
        _ = try await store.conversations.transition(
            conversation.id, tenant: conversation.tenantID, from: [.human], to: .bot, agent: nil, handoff: nil,
            holder: nil, at: Date())
        // Past the cooldown (none), the rule may send again; the cap still holds.
        #expect(
            try await store.proactive.deliver(
                StoreContractTests.proactiveMessage(conversation), rule: "welcome", visitor: conversation.visitorID,
                allowance: ProactiveAllowance(cooldown: 0, cap: 3, capWindow: 3_600)) == .frequencyCap)
        try await store.close()
    }

    @Test("a turn keeps the rules' input; visitors keep their visit count", arguments: StoreFactory.allCases)
    func ruleInputAndVisits(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await StoreContractTests.storeWithConversation(factory)
        let message = StoreContractTests.customerMessage(conversation, client: "c1")
        _ = try await store.messages.appendCustomer(message)
        let input: JSONValue = ["text": "hi", "message_count": 1, "tags": ["a"]]
        let before = Date().addingTimeInterval(-1)
        try await store.turns.complete(
            TurnRecord(
                tenantID: tenant.id, conversationID: conversation.id, messageID: message.id, decision: "continue",
                decidedBy: nil, replyID: nil, trace: [], createdAt: Date(), ruleInput: input),
            reply: nil, conversation: conversation, beganIn: .bot)
        #expect(try await store.turns.get(message: message.id, tenant: tenant.id)?.ruleInput == input)
        #expect(
            try await store.turns.withRuleInput(tenant: tenant.id, since: before, limit: 10).map(\.messageID) == [
                message.id
            ])
        #expect(
            try await store.turns.withRuleInput(tenant: tenant.id, since: Date().addingTimeInterval(60), limit: 10)
                .isEmpty)

        var visitor = Visitor(
            id: conversation.visitorID, tenantID: tenant.id, attributes: [:], firstSeenAt: Date(), lastSeenAt: Date())
        try await store.visitors.save(visitor)
        #expect(try await store.visitors.get(visitor.id, tenant: tenant.id)?.visits == 1)
        visitor.visits = 3
        try await store.visitors.save(visitor)
        #expect(try await store.visitors.get(visitor.id, tenant: tenant.id)?.visits == 3)
        try await store.close()
    }

    @Test(
        "changes to one rule made at the same time all land: saves get every next version, rollbacks undo one each",
        arguments: StoreFactory.allCases)
    func concurrentChanges(factory: StoreFactory) async throws {
        let (store, tenant) = try await StoreContractTests.storeWithTenant(factory)
        let rules = store.rules
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await rules.save(
                        name: "refund", source: "-- \(index)", fixtures: nil, tenant: tenant.id, by: nil
                    )
                    .version
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(versions.sorted() == Array(1...8))
        for version in 1...8 {
            #expect(try await rules.activate(name: "refund", version: version, tenant: tenant.id))
        }
        // Eight activations on the stack; four rollbacks at once leave the fourth on top.
        let rolledBack = try await withThrowingTaskGroup(of: Int??.self) { group in
            for _ in 0..<4 { group.addTask { try await rules.rollback(name: "refund", tenant: tenant.id) } }
            return try await group.reduce(into: [Int??]()) { $0.append($1) }
        }
        #expect(rolledBack.compactMap { $0 ?? nil }.sorted() == [4, 5, 6, 7])
        #expect(try await rules.active(tenant: tenant.id).map(\.version) == [4])
        try await store.close()
    }

    @Test(
        "a turn's attributes merge into the visitor as stored now; an erased visitor is not brought back",
        arguments: StoreFactory.allCases)
    func visitorAttributesMerge(factory: StoreFactory) async throws {
        let (store, tenant, conversation) = try await StoreContractTests.storeWithConversation(factory)
        var visitor = Visitor(
            id: conversation.visitorID, tenantID: tenant.id, attributes: ["plan": .string("free"), "tier": .number(1)],
            firstSeenAt: Date(), lastSeenAt: Date())
        try await store.visitors.save(visitor)
        // While a turn runs (it read the visitor above), the page identifies the visitor on a new visit.
        #expect(
            try await store.visitors.mergeAttributes(
                ["user_id_verified": .bool(true)], visitor: visitor.id, tenant: tenant.id))
        visitor.visits = 2
        try await store.visitors.save(visitor)
        #expect(
            try await store.visitors.mergeAttributes(
                ["plan": .string("pro"), "churn_risk": .bool(true)], visitor: visitor.id, tenant: tenant.id))
        let merged = try #require(try await store.visitors.get(visitor.id, tenant: tenant.id))
        #expect(
            merged.attributes == [
                "plan": .string("pro"), "tier": .number(1), "user_id_verified": .bool(true), "churn_risk": .bool(true),
            ])
        #expect(merged.visits == 2)
        // A visit recorded from a copy read before all that keeps the stored attributes.
        visitor.attributes = [:]
        visitor.visits = 3
        try await store.visitors.save(visitor)
        let visited = try #require(try await store.visitors.get(visitor.id, tenant: tenant.id))
        #expect(visited.visits == 3 && visited.attributes == merged.attributes, "\(visited.attributes)")
        // Another tenant's visitor of the same id is not touched, and an erased visitor stays erased.
        #expect(
            try await !store.visitors.mergeAttributes(
                ["plan": .string("x")], visitor: visitor.id, tenant: TenantID("other")))
        try await store.visitors.erase(visitor.id, tenant: tenant.id)
        #expect(
            try await !store.visitors.mergeAttributes(["plan": .string("x")], visitor: visitor.id, tenant: tenant.id))
        #expect(try await store.visitors.get(visitor.id, tenant: tenant.id) == nil)
        try await store.close()
    }
}

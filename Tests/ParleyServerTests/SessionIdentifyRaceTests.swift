import Foundation
import ParleyCore
import ParleyStore
import Testing

@testable import ParleyServer

/// A widget session opened while the page identifies the visitor: the identity stays.
@Suite("Session against an identify")
struct SessionIdentifyRaceTests {
    /// Visitors with an armed change (the identify) that lands between the session's read of the visitor and its
    /// write.
    struct IdentifiedMeanwhile: VisitorRepository {
        let base: any VisitorRepository
        let meanwhile: Meanwhile

        func save(_ visitor: Visitor) async throws {
            try await meanwhile.run()
            try await base.save(visitor)
        }
        func mergeAttributes(_ updates: [String: JSONValue], visitor: VisitorID, tenant: TenantID) async throws
            -> Bool
        {
            try await base.mergeAttributes(updates, visitor: visitor, tenant: tenant)
        }
        func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor? { try await base.get(id, tenant: tenant) }
        func erase(_ id: VisitorID, tenant: TenantID) async throws -> Int { try await base.erase(id, tenant: tenant) }
    }

    @Test("a returning visitor's new session does not undo an identify that landed while it was opened")
    func sessionKeepsIdentity() async throws {
        let meanwhile = Meanwhile()
        let wrap: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, visitors: IdentifiedMeanwhile(base: base.visitors, meanwhile: meanwhile))
        }
        try await Harness.run(wrapStore: wrap) { harness in
            let first = try await harness.session()
            let stored = try await harness.visitorID(of: first.conversation)
            let tenant = harness.seed.demoTenantID
            meanwhile.arm {
                _ = try await harness.store.visitors.mergeAttributes(
                    ["user_id": .string("u-9"), "user_id_verified": .bool(true)], visitor: stored, tenant: tenant)
            }
            _ = try await harness.session(visitorID: first.visitorID)
            let visitor = try #require(try await harness.store.visitors.get(stored, tenant: harness.seed.demoTenantID))
            #expect(visitor.attributes["user_id"] == .string("u-9"), "the identify was undone: \(visitor.attributes)")
        }
    }
}

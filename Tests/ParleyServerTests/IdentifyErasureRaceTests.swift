import Foundation
import ParleyCore
import ParleyStore
import Testing

@testable import ParleyServer

/// A visitor's identify call that meets their erasure: what was erased stays erased.
@Suite("Identify against an erasure")
struct IdentifyErasureRaceTests {
    /// Visitors with an armed change (the erasure) that lands while an identify call is between reading the
    /// visitor and writing it: after a read, before a merge.
    struct ErasedMeanwhile: VisitorRepository {
        let base: any VisitorRepository
        let meanwhile: Meanwhile

        func get(_ id: VisitorID, tenant: TenantID) async throws -> Visitor? {
            let visitor = try await base.get(id, tenant: tenant)
            try await meanwhile.run()
            return visitor
        }
        func mergeAttributes(_ updates: [String: JSONValue], visitor: VisitorID, tenant: TenantID) async throws
            -> Bool
        {
            try await meanwhile.run()
            return try await base.mergeAttributes(updates, visitor: visitor, tenant: tenant)
        }
        func save(_ visitor: Visitor) async throws { try await base.save(visitor) }
        func erase(_ id: VisitorID, tenant: TenantID) async throws -> Int { try await base.erase(id, tenant: tenant) }
    }

    @Test("an erasure that lands during an identify call is not undone by it")
    func identifyDoesNotBringBackAnErasedVisitor() async throws {
        let meanwhile = Meanwhile()
        let wrap: @Sendable (any ParleyStore) -> any ParleyStore = { base in
            ForwardingStore(base: base, visitors: ErasedMeanwhile(base: base.visitors, meanwhile: meanwhile))
        }
        try await Harness.run(wrapStore: wrap) { harness in
            let admin = try await harness.demoAdmin()
            let secret = try #require(
                try await harness.call(.post, "/api/widget/identity-secret", token: admin)["identity_secret"].string)
            let visitor = try await harness.session()
            let stored = try await harness.visitorID(of: visitor.conversation)
            let hash = IdentitySigning.hash("u-7", secret: secret)
            let tenant = harness.seed.demoTenantID
            meanwhile.arm { _ = try await harness.store.visitors.erase(stored, tenant: tenant) }
            let identified = try await harness.call(
                .post, "/api/widget/identify", json: ["id": "u-7", "email": "kim@example.com", "hash": hash],
                token: visitor.token)
            #expect(identified.status == .notFound, "\(identified.text)")
            let after = try await harness.store.visitors.get(stored, tenant: harness.seed.demoTenantID)
            #expect(after == nil, "the erased visitor was written back: \(String(describing: after))")
        }
    }
}

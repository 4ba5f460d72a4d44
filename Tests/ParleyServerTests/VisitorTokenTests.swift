import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// Visitor tokens: a verified token is remembered, but never past its expiry and never for a different text.
@Suite("Visitor tokens")
struct VisitorTokenTests {
    @Test("a cached token is refused once expired; a tampered token is refused though its original is cached")
    func cacheNeverWidensAcceptance() async throws {
        let issuer = await TokenIssuer.make(secret: SecretKey(bytes: Array(repeating: 7, count: 32)))
        let start = Date()
        let token = try await issuer.visitorToken(tenant: TenantID("t1"), visitor: VisitorID("v1"), now: start)
        #expect(await issuer.verifyVisitorToken(token, now: start)?.sub.value == "v1")
        // Served from the cache now, still valid.
        #expect(await issuer.verifyVisitorToken(token, now: start + 60)?.tid == "t1")
        #expect(await issuer.verifyVisitorToken(token, now: start + TokenIssuer.defaultVisitorTokenLifetime + 1) == nil)

        let fresh = try await issuer.visitorToken(tenant: TenantID("t1"), visitor: VisitorID("v2"))
        #expect(await issuer.verifyVisitorToken(fresh) != nil)
        var tampered = Array(fresh)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == "A" ? "B" : "A"
        #expect(await issuer.verifyVisitorToken(String(tampered)) == nil)

        let other = await TokenIssuer.make(secret: SecretKey(bytes: Array(repeating: 9, count: 32)))
        #expect(await other.verifyVisitorToken(fresh) == nil, "another key never accepts it")
    }

    @Test("the cache forgets everything when full instead of growing")
    func cacheIsBounded() {
        let cache = VerifiedTokenCache<Int>(capacity: 3)
        let expiry = Date() + 60
        for index in 0..<3 { cache.insert("t\(index)", claims: index, expiry: expiry) }
        #expect(cache.claims(of: "t2", now: Date()) == 2)
        cache.insert("t3", claims: 3, expiry: expiry)
        #expect(cache.claims(of: "t0", now: Date()) == nil)
        #expect(cache.claims(of: "t3", now: Date()) == 3)
    }
}

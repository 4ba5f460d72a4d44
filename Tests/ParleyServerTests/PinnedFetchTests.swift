import Foundation
import ParleyCore
import Testing

@testable import ParleyKnowledge

/// The crawler's fetcher connects to the address it checked, never to a second lookup's answer (DNS rebinding).
@Suite("Crawler address pinning")
struct PinnedFetchTests {
    @Test("a name is fetched at the address its check resolved, which no real lookup would give; refused ones are not")
    func connectsToTheCheckedAddress() async throws {
        let site = TestSite()
        try await site.run { port in
            // Names only this resolver knows: a fetch that looked them up again would find nothing.
            let fetcher = HTTPPageFetcher(
                timeout: 30, allowPrivateNetworks: false,
                resolve: { name in
                    switch name {
                    case "shop.pinned.test": [[127, 0, 0, 1]]
                    case "intranet.pinned.test": [[10, 0, 0, 5]]
                    default: []
                    }
                },
                isAllowed: { $0 == [127, 0, 0, 1] })
            let page = try await fetcher.fetch(
                URL(string: "http://shop.pinned.test:\(port)/about")!, validators: PageValidators(), maxBytes: 1 << 20)
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("family workshop"))
            await #expect(throws: FetchError.self) {
                _ = try await fetcher.fetch(
                    URL(string: "http://intranet.pinned.test:\(port)/about")!, validators: PageValidators(),
                    maxBytes: 1 << 20)
            }
            await fetcher.shutdown()
        }
    }
}

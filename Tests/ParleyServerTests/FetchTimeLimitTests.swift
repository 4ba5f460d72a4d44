import Foundation
import ParleyCore
import Testing

@testable import ParleyKnowledge

/// The crawler's fetch ends at its timeout, whatever the site does after sending its headers.
@Suite("Crawler fetch time limit")
struct FetchTimeLimitTests {
    @Test("a page whose body trickles in is given up at the fetch's timeout, however short its pauses")
    func tricklingBodyTimesOut() async throws {
        let site = TestSite()
        try await site.run { port in
            let fetcher = HTTPPageFetcher(timeout: 2, allowPrivateNetworks: true)
            let started = ContinuousClock.now
            await #expect(throws: FetchError.self) {
                _ = try await fetcher.fetch(
                    URL(string: "http://127.0.0.1:\(port)/trickle")!, validators: PageValidators(), maxBytes: 1 << 20)
            }
            let took = ContinuousClock.now - started
            #expect(took < .seconds(10), "the fetch took \(took)")
            await fetcher.shutdown()
        }
    }
}

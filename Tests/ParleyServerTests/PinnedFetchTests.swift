import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import Synchronization
import Testing

@testable import ParleyAI
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

    @Test("tenants' endpoints: an allowed private name is pinned too, and a lookup is kept for its lifetime only")
    func endpointClientsKeepLookupsBriefly() async throws {
        let site = TestSite()
        try await site.run { port in
            let lookups = Mutex(0)
            let clients = AddressCheckedHTTPClients(
                configuration: HTTPClient.Configuration(), allowing: PrivateHostAllowance(hosts: ["Model.Pinned.Test"]),
                resolutionLifetime: .seconds(1),
                resolve: { name in
                    lookups.withLock { $0 += 1 }
                    return name == "model.pinned.test" || name == "other.pinned.test" ? [[127, 0, 0, 1]] : []
                },
                isPublic: { _ in false })
            let url = URL(string: "http://model.pinned.test:\(port)/about")!
            for _ in 0..<3 { _ = try await clients.client(for: url) }
            #expect(lookups.withLock { $0 } == 1, "one lookup serves the requests within its lifetime")
            let response = try await clients.client(for: url).execute(
                HTTPClientRequest(url: url.absoluteString), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(String(buffer: try await response.body.collect(upTo: 1 << 20)).contains("family workshop"))
            try await Task.sleep(for: .milliseconds(1_100))
            _ = try await clients.client(for: url)
            #expect(lookups.withLock { $0 } == 2, "an expired lookup is made again")
            await #expect(throws: AddressCheckError.privateAddress(host: "other.pinned.test")) {
                _ = try await clients.client(for: URL(string: "http://other.pinned.test:\(port)/")!)
            }
            await #expect(throws: AddressCheckError.unresolved(host: "nowhere.pinned.test")) {
                _ = try await clients.client(for: URL(string: "http://nowhere.pinned.test/")!)
            }
            await clients.shutdown()
        }
    }

    @Test("a name with several addresses keeps its client while its address stays among them; a check keeps none")
    func severalAddressesKeepOneClient() async throws {
        let order = Mutex(false)
        let clients = AddressCheckedHTTPClients(
            configuration: HTTPClient.Configuration(), allowing: .none, resolutionLifetime: .zero,
            resolve: { _ in
                // A CDN answering with its addresses in another order each time.
                order.withLock { flipped in
                    flipped.toggle()
                    return flipped ? [[8, 8, 8, 8], [8, 8, 4, 4]] : [[8, 8, 4, 4], [8, 8, 8, 8]]
                }
            },
            isPublic: { _ in true })
        try await clients.check(URL(string: "https://api.cdn.test/v1")!)
        #expect(clients.pinnedHosts == 0, "a check keeps no client")
        let first = try await clients.client(for: URL(string: "https://api.cdn.test/v1")!)
        let second = try await clients.client(for: URL(string: "https://api.cdn.test/v1")!)
        #expect(first === second, "a new client for the same name and a known address")
        #expect(clients.pinnedHosts == 1)
        await clients.shutdown()
    }

    @Test("clients let go wait to finish their requests, but no more than a bounded number of them")
    func retiredClientsAreBounded() async throws {
        let next = Mutex(UInt8(0))
        let clients = AddressCheckedHTTPClients(
            configuration: HTTPClient.Configuration(), allowing: .none, resolutionLifetime: .zero,
            resolve: { _ in
                // A name whose address changes at every lookup: each request lets the previous client go.
                next.withLock { value in
                    value &+= 1
                    return [[8, 8, 8, value]]
                }
            },
            isPublic: { _ in true })
        for _ in 0..<(AddressCheckedHTTPClients.maximumRetired + 20) {
            _ = try await clients.client(for: URL(string: "https://moving.cdn.test/v1")!)
        }
        #expect(clients.pinnedHosts == 1)
        #expect(clients.retiredClients == AddressCheckedHTTPClients.maximumRetired)
        await clients.shutdown()
        #expect(clients.retiredClients == 0)
    }
}

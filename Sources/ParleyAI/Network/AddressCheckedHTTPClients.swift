import AsyncHTTPClient
import Foundation
import NIOPosix
import Synchronization

/// HTTP clients for URLs that tenants give (model endpoints, sites to crawl), which reach only public addresses and
/// the private hosts the operator allowed.
///
/// Each request's host is resolved (answers are kept for ``resolutionLifetime``) and every address checked; the
/// connection then goes to the address that was checked (AsyncHTTPClient's `dnsOverride`, certificates still checked
/// against the name), not to a second lookup's answer: a name that changes its address between the check and the
/// connection (DNS rebinding) reaches nothing new.
public final class AddressCheckedHTTPClients: HTTPClientSource {
    /// How long a host's checked addresses are used before it is looked up again.
    public let resolutionLifetime: Duration

    private let base: HTTPClient
    private let configuration: HTTPClient.Configuration
    private let allowance: PrivateHostAllowance
    private let resolve: @Sendable (String) -> [[UInt8]]
    private let isPublic: @Sendable ([UInt8]) -> Bool
    /// Clients that connect a host name to the one address checked for it, by host.
    private let pinned = Mutex<[String: Pinned]>([:])
    /// Clients let go, oldest first, with when: each finishes the requests it has before it is shut down.
    private let retired = Mutex<[(client: HTTPClient, since: ContinuousClock.Instant)]>([])
    /// Recent lookups, by host name.
    private let resolved = Mutex<[String: (addresses: [[UInt8]], until: ContinuousClock.Instant)]>([:])

    private struct Pinned {
        var address: String
        var client: HTTPClient
        var lastUsed: ContinuousClock.Instant
    }

    /// The most pinned clients kept; past it, the one used longest ago goes.
    static let maximumPinned = 256
    /// How long a client that was let go keeps serving the requests it had: a stream may run for minutes.
    static let retiredClientGrace = Duration.seconds(600)
    /// The most clients let go and not yet shut down; past it, the oldest is shut down at once.
    static let maximumRetired = 64
    /// The most lookups kept.
    static let maximumResolved = 256

    /// Clients made with `configuration` that reach the private hosts `allowance` names; call `shutdown()` when done.
    public convenience init(
        configuration: HTTPClient.Configuration, allowing allowance: PrivateHostAllowance,
        resolutionLifetime: Duration = .seconds(30)
    ) {
        self.init(
            configuration: configuration, allowing: allowance, resolutionLifetime: resolutionLifetime,
            resolve: NetworkAddresses.resolve, isPublic: NetworkAddresses.isPublic)
    }

    /// Clients with their own resolver and notion of a public address (tests).
    public init(
        configuration: HTTPClient.Configuration, allowing allowance: PrivateHostAllowance,
        resolutionLifetime: Duration = .seconds(30), resolve: @escaping @Sendable (String) -> [[UInt8]],
        isPublic: @escaping @Sendable ([UInt8]) -> Bool
    ) {
        self.configuration = configuration
        self.allowance = allowance
        self.resolutionLifetime = resolutionLifetime
        self.resolve = resolve
        self.isPublic = isPublic
        base = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes every client's connections.
    public func shutdown() async {
        try? await base.shutdown()
        let clients = pinned.withLock { pinned in
            defer { pinned = [:] }
            return pinned.values.map(\.client)
        }
        let letGo = retired.withLock { retired in
            defer { retired = [] }
            return retired.map(\.client)
        }
        for client in clients + letGo { try? await client.shutdown() }
    }

    public func client(for url: URL) async throws -> HTTPClient {
        guard let (host, addresses) = try await checkedAddresses(for: url) else { return base }
        return pinnedClient(host: host, addresses: addresses)
    }

    /// Checks `url`'s host now, without keeping a client: for validating a URL when it is saved.
    public func check(_ url: URL) async throws {
        _ = try await checkedAddresses(for: url)
    }

    /// How many hosts have a pinned client now.
    var pinnedHosts: Int { pinned.withLock { $0.count } }

    /// How many clients let go are still waiting to be shut down.
    var retiredClients: Int { retired.withLock { $0.count } }

    /// The host and its checked addresses (text form), or nil when the connection needs no pinning (every address is
    /// allowed, or the URL names an address); throws ``AddressCheckError`` for a host that may not be reached.
    private func checkedAddresses(for url: URL) async throws -> (host: String, addresses: [String])? {
        guard !allowance.allowsAll, let host = url.host else { return nil }
        let literal = host.hasPrefix("[")
        let name = literal ? String(host.dropFirst().dropLast()) : host
        let addresses = try await addresses(of: name)
        guard let first = addresses.first else { throw AddressCheckError.unresolved(host: host) }
        guard addresses.allSatisfy(isPublic) || allowance.allows(name) else {
            throw AddressCheckError.privateAddress(host: host)
        }
        // An address written in the URL is the address connected to; no lookup follows.
        guard !literal, name != NetworkAddresses.text(first) else { return nil }
        return (host, addresses.map(NetworkAddresses.text))
    }

    private func addresses(of name: String) async throws -> [[UInt8]] {
        let now = ContinuousClock.now
        if let known = resolved.withLock({ $0[name] }), known.until > now { return known.addresses }
        let resolve = resolve
        let addresses = try await NIOThreadPool.singleton.runIfActive { resolve(name) }
        // A name that does not resolve is looked up again next time: it may be a moment's failure.
        guard !addresses.isEmpty else { return addresses }
        resolved.withLock { resolved in
            if resolved.count >= Self.maximumResolved { resolved.removeAll(keepingCapacity: true) }
            resolved[name] = (addresses, now + resolutionLifetime)
        }
        return addresses
    }

    /// The host's client, pinned to one of `addresses`: the one it already has while that is still among them (a
    /// name with several addresses keeps its connections), else the first.
    private func pinnedClient(host: String, addresses: [String]) -> HTTPClient {
        let now = ContinuousClock.now
        let (chosen, retired) = pinned.withLock { pinned -> (HTTPClient, [HTTPClient]) in
            var retired: [HTTPClient] = []
            if var known = pinned[host] {
                if addresses.contains(known.address) {
                    known.lastUsed = now
                    pinned[host] = known
                    return (known.client, [])
                }
                retired.append(known.client)
                pinned[host] = nil
            }
            if pinned.count >= Self.maximumPinned,
                let oldest = pinned.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key
            {
                if let gone = pinned.removeValue(forKey: oldest) { retired.append(gone.client) }
            }
            var configuration = configuration
            configuration.dnsOverride = [host: addresses[0]]
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            pinned[host] = Pinned(address: addresses[0], client: made, lastUsed: now)
            return (made, retired)
        }
        // Shutting a client down cancels its requests: one let go finishes what it has (a stream may be underway)
        // and takes no new ones, for `retiredClientGrace`, and no more than `maximumRetired` of them wait.
        let finished = self.retired.withLock { waiting -> [HTTPClient] in
            waiting += retired.map { ($0, now) }
            var finished: [HTTPClient] = []
            while let oldest = waiting.first,
                oldest.since + Self.retiredClientGrace <= now || waiting.count > Self.maximumRetired
            {
                finished.append(waiting.removeFirst().client)
            }
            return finished
        }
        for client in finished { Task { try? await client.shutdown() } }
        return chosen
    }

    /// Clients kept for the life of the process, by purpose and allowance.
    private static let lasting = Mutex<[LastingKey: AddressCheckedHTTPClients]>([:])

    private struct LastingKey: Hashable {
        var purpose: String
        var allowance: PrivateHostAllowance
    }

    /// The process's one set of clients for `purpose` and `allowance`, made with `configuration` the first time.
    ///
    /// Servers started and stopped in one process (tests) share them, as they would share `HTTPClient.shared`.
    public static func lasting(
        _ purpose: String, allowing allowance: PrivateHostAllowance,
        configuration: @autoclosure () -> HTTPClient.Configuration
    ) -> AddressCheckedHTTPClients {
        lasting.withLock { lasting in
            let key = LastingKey(purpose: purpose, allowance: allowance)
            if let existing = lasting[key] { return existing }
            let made = AddressCheckedHTTPClients(configuration: configuration(), allowing: allowance)
            lasting[key] = made
            return made
        }
    }
}

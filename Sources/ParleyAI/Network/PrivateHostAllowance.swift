import Foundation

/// Which hosts on private networks a tenant's URL may reach: none, some named by the server's operator, or all.
///
/// Loopback, private, link-local and reserved addresses belong to the server's own network (its database, a cloud
/// metadata service), which a tenant must not reach by typing its address into a provider's URL. An operator who
/// runs a model on that network (Ollama on the same machine, a gateway on the LAN) names its hosts here.
public struct PrivateHostAllowance: Sendable, Hashable, CustomStringConvertible {
    /// Whether every private address is allowed.
    public let allowsAll: Bool
    /// The host names and addresses allowed although they resolve to private addresses, lowercased.
    public let hosts: Set<String>

    /// No private address is allowed.
    public static let none = PrivateHostAllowance(allowsAll: false, hosts: [])
    /// Every private address is allowed.
    public static let all = PrivateHostAllowance(allowsAll: true, hosts: [])

    private init(allowsAll: Bool, hosts: Set<String>) {
        self.allowsAll = allowsAll
        self.hosts = hosts
    }

    /// Allows the named hosts (names or addresses, IPv6 ones with or without brackets).
    public init(hosts: some Sequence<String>) {
        self.init(allowsAll: false, hosts: Set(hosts.map(Self.normalized)))
    }

    /// Reads a comma-separated list such as `localhost, ollama.internal, 10.0.0.7`; `*` allows all, an empty one none.
    public init(parsing list: String) {
        let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if items.contains("*") {
            self = .all
        } else {
            self.init(hosts: items)
        }
    }

    /// Whether `host` (as a URL writes it) may be reached at a private address.
    public func allows(_ host: String) -> Bool {
        allowsAll || hosts.contains(Self.normalized(host))
    }

    public var description: String {
        allowsAll ? "*" : hosts.sorted().joined(separator: ",")
    }

    private static func normalized(_ host: String) -> String {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        return host
    }
}

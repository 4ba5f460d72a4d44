/// Why a URL given by a tenant was not requested.
public enum AddressCheckError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host has no address.
    case unresolved(host: String)
    /// The host resolves to a loopback, private, link-local or reserved address that is not allowed.
    case privateAddress(host: String)

    public var description: String {
        switch self {
        case .unresolved(let host): "\(host) does not resolve"
        case .privateAddress(let host): "\(host) resolves to a private or loopback address"
        }
    }
}

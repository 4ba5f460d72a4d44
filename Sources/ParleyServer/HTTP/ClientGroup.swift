import NIOCore

/// The part of a client's address that rate limits count by: an IPv4 address whole, an IPv6 address by its /64.
///
/// An IPv6 subscriber is usually given a whole /64 and can take a new address in it for every request, so counting
/// per /128 would give one client as many budgets as it likes. IPv4 clients that a dual-stack socket reports as
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) keep their own IPv4 address.
enum ClientGroup {
    /// The group of a peer's address, or nil when the connection has no IP address (a Unix socket).
    static func of(_ address: SocketAddress?) -> String? {
        guard let address else { return nil }
        guard case .v6(let v6) = address else { return address.ipAddress }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        let mappedIPv4 = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        if mappedIPv4 { return bytes.suffix(4).map { String($0) }.joined(separator: ".") }
        let prefix = stride(from: 0, to: 8, by: 2).map { index in
            String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16)
        }
        return prefix.joined(separator: ":") + "::/64"
    }
}

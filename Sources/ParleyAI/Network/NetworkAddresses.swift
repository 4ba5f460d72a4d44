import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves host names and tells public addresses from the ones a tenant's URL must not reach: loopback, private,
/// link-local (cloud metadata services live there), carrier-grade NAT, multicast and reserved ranges.
public enum NetworkAddresses {
    /// The host's addresses (4 bytes for IPv4, 16 for IPv6), from the system resolver; a blocking call.
    public static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let address = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(withUnsafeBytes(of: value) { Array($0) })
                } else if info.pointee.ai_family == AF_INET6 {
                    let value = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(withUnsafeBytes(of: value) { Array($0) })
                }
            }
            next = info.pointee.ai_next
        }
        return addresses
    }

    /// An address's text form (`203.0.113.7`, `2001:db8::1`), as a connection target takes it.
    public static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = bytes.withUnsafeBytes { raw in
            inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard written != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether an address (4 or 16 bytes, network order) is on the public internet.
    public static func isPublic(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 { return isPublicV4(bytes) }
        guard bytes.count == 16 else { return false }
        // Addresses that carry an IPv4 host's address are judged as IPv4: IPv4-mapped (::ffff:a.b.c.d),
        // IPv4-compatible (::a.b.c.d, which covers :: and ::1), NAT64's well-known prefix (64:ff9b::a.b.c.d, which
        // a DNS64 network routes to that host) and 6to4 (2002:aabb:ccdd::/48).
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == bytes[11], bytes[10] == 0 || bytes[10] == 0xFF {
            return isPublicV4(Array(bytes[12...]))
        }
        if bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B] {
            // 64:ff9b:1::/48 is for local NAT64 translators, which may put the IPv4 address anywhere: never public.
            guard bytes[4..<12].allSatisfy({ $0 == 0 }) else { return false }
            return isPublicV4(Array(bytes[12...]))
        }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return isPublicV4(Array(bytes[2..<6])) }
        if bytes[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
        if bytes[0] == 0xFF { return false }  // multicast
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 { return false }  // documentation
        return true
    }

    private static func isPublicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): false
        case (100, 64...127): false  // carrier-grade NAT
        case (169, 254): false  // link-local, cloud metadata
        case (172, 16...31), (192, 168): false
        case (192, 0) where b[2] == 0 || b[2] == 2: false  // IETF protocol assignments, documentation
        case (198, 18...19): false  // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: false  // documentation
        case (224...255, _): false  // multicast, reserved, broadcast
        default: true
        }
    }
}

import Glibc

/// Ports on loopback for servers a test starts.
enum LoopbackPort {
    /// A port on loopback that nothing holds now for `type` (`SOCK_STREAM` or `SOCK_DGRAM`), below Linux's ephemeral
    /// range (32768–60999), where the many client connections of a test run (PostgreSQL's among them) take their ports.
    static func free(_ type: __socket_type) -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000...32_000)
            let socket = Glibc.socket(AF_INET, Int32(type.rawValue), 0)
            guard socket >= 0 else { continue }
            defer { close(socket) }
            if withAddress(port: port, { bind(socket, $0, $1) }) == 0 { return port }
        }
        return Int.random(in: 20_000...32_000)
    }

    /// Calls `body` with the address of `port` on 127.0.0.1 as the sockets API takes it (`bind`, `connect`).
    static func withAddress<T>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A request written byte for byte on a plain socket, for what HTTP clients will not send (a length the body does
/// not have); the reply is read until the server stops sending or closes.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `head`, then `body` unless an answer has come within five seconds, and returns what comes back within
    /// ten seconds.
    ///
    /// An answer before the body is read straight away: a server that closes a connection with unread bytes resets
    /// it, and the reset may discard the answer before it is read. The waits are long because a server still
    /// draining an earlier refused upload may be slow to get to this one.
    static func exchange(port: Int, head: [UInt8], body: [UInt8]) throws -> String {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(socket) }
        let connected = LoopbackPort.withAddress(port: port) { connect(socket, $0, $1) }
        guard connected == 0 else { throw Failure(description: "connect: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes {
                    Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if count <= 0 { break }  // the server may stop reading once it has answered
                sent += count
            }
        }
        send(head)
        var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        if poll(&ready, 1, 5_000) == 0 { send(body) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply += buffer[0..<count]
            if let text = String(bytes: reply, encoding: .utf8), text.contains("\r\n\r\n"), text.contains("}}") {
                break
            }
        }
        return String(decoding: reply, as: UTF8.self)
    }
}

import NIOCore
import NIOPosix
import Synchronization

/// A bare WebSocket client on a real TCP connection that misbehaves on purpose: it reads nothing at all, or reads and
/// ignores everything (close frames included), as a stalled or hostile visitor would.
struct RawWebSocket {
    let channel: any Channel
    private let received: Received

    /// Keeps the first bytes it reads (the upgrade's answer) and acts on none.
    private final class Received: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let head = Mutex("")

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            head.withLock { head in
                if head.utf8.count < 1_024 { head += String(buffer: buffer) }
            }
        }
    }

    /// The server's answer to the upgrade as far as it has come (its first kilobyte).
    var answer: String { received.head.withLock { $0 } }

    /// Whether the server answered the upgrade with 101, waiting at most `limit` for its answer.
    func upgraded(within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let head = received.head.withLock { $0 }
            if head.contains("\r\n\r\n") { return head.hasPrefix("HTTP/1.1 101") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Connects and sends the upgrade request for `path`, with `headers` (lines ending in CRLF) added; `reads` false
    /// leaves everything the server sends unread, with the smallest receive buffer the kernel allows.
    static func connect(port: Int, path: String, origin: String, reads: Bool, headers: String = "") async throws
        -> RawWebSocket
    {
        let received = Received()
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reads)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) }
            }
        if !reads { bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: 4_096) }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: \(origin)\r\n\(headers)\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        return RawWebSocket(channel: channel, received: received)
    }

    /// One masked text frame (a zero mask: the payload goes as it is), as clients must send.
    static func textFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        precondition(payload.count < 126, "short frames only")
        return [0x81, 0x80 | UInt8(payload.count), 0, 0, 0, 0] + payload
    }

    /// Writes `bytes`; throws once the server has dropped the connection.
    func write(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Whether the connection has closed, waiting at most `limit` for it to.
    func closes(within limit: Duration) async -> Bool {
        let closed = channel.closeFuture
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await closed.get()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if !first { channel.close(promise: nil) }  // ends the other child's wait
            return first
        }
    }
}

import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import ParleyServer

/// Rate limits count clients by address group; sign-in budgets are per client, so nobody can lock out an account.
@Suite("Client groups")
struct ClientGroupTests {
    @Test("IPv4 addresses count whole, IPv6 ones by their /64, IPv4-mapped ones as IPv4")
    func groups() throws {
        #expect(ClientGroup.of(try SocketAddress(ipAddress: "203.0.113.7", port: 1)) == "203.0.113.7")
        let one = ClientGroup.of(try SocketAddress(ipAddress: "2001:db8:a:b:1:2:3:4", port: 1))
        let other = ClientGroup.of(try SocketAddress(ipAddress: "2001:db8:a:b:ffff::9", port: 1))
        #expect(one == "2001:db8:a:b::/64")
        #expect(one == other, "one subscriber's /64 is one client")
        #expect(ClientGroup.of(try SocketAddress(ipAddress: "2001:db8:a:c::1", port: 1)) != one)
        #expect(ClientGroup.of(try SocketAddress(ipAddress: "::ffff:198.51.100.4", port: 1)) == "198.51.100.4")
        #expect(ClientGroup.of(nil) == nil)
    }

    @Test("a client that spends an account's sign-in budget does not lock out the same account elsewhere")
    func noLockoutFromAnotherAddress() async throws {
        var configuration = Harness.configuration()
        configuration.rateLimits.visitor = .init(perMinute: 0.1, burst: 3)
        try await Harness.run(configuration) { harness in
            let body = #"{"email":"\#(harness.seed.demoAdminEmail)","password":"wrong"}"#
            // The attacker, at 127.0.0.2, runs out of budget.
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await Self.post(body, port: harness.port, from: "127.0.0.2")) }
            #expect(statuses == [401, 401, 401, 429], "\(statuses)")
            // The admin, at 127.0.0.1, still signs in.
            _ = try await harness.demoAdmin()
        }
    }

    /// POSTs a sign-in from a given local address and returns the status code.
    static func post(_ body: String, port: Int, from local: String) async throws -> Int {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: local, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let request =
            "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        try await channel.closeFuture.get()
        let head = received.text.withLock { $0 }
        return Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Keeps what the server answers.
    final class Received: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = Mutex("")

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = Self.unwrapInboundIn(data)
            text.withLock { $0 += String(buffer: buffer) }
        }
    }
}

import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A connection's first request head that is too large, or too slow, gets a JSON answer and a close, not silence.
@Suite("Request heads")
struct RequestHeadTests {
    /// `RawHTTP.exchange` on a thread of its own: its blocking reads on Swift's two cooperative threads would keep the
    /// in-process server (and the other tests) from answering.
    private func exchange(_ port: Int, _ head: [UInt8]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try RawHTTP.exchange(port: port, head: head, body: []) }) }
                .start()
        }
    }

    @Test("a head past the limit is answered 431 with a JSON error; one just under it is served")
    func tooLarge() async throws {
        try await Harness.run { harness in
            func head(padding: Int) -> [UInt8] {
                Array(
                    ("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Padding: "
                        + String(repeating: "x", count: padding) + "\r\n\r\n").utf8)
            }
            // 82,000 bytes: past the HTTP decoder's own limit, where the connection used to hang unanswered.
            let refused = try await exchange(harness.port, head(padding: 82_000))
            #expect(refused.hasPrefix("HTTP/1.1 431"), "\(refused.prefix(300))")
            #expect(refused.contains(#""code":"request_header_too_large""#), "\(refused.prefix(300))")
            #expect(refused.lowercased().contains("content-type: application/json"))
            // Empty lines before a request are skipped by the HTTP parser: they do not end the head for the guard.
            let afterEmptyLines = try await exchange(harness.port, Array("\r\n\r\n".utf8) + head(padding: 82_000))
            #expect(afterEmptyLines.hasPrefix("HTTP/1.1 431"), "\(afterEmptyLines.prefix(300))")
            let served = try await exchange(harness.port, head(padding: 60_000))
            #expect(served.hasPrefix("HTTP/1.1 200"), "\(served.prefix(300))")
        }
    }

    @Test("a head that does not arrive in time is answered 408 and the connection closed")
    func tooSlow() async throws {
        var configuration = Harness.configuration()
        configuration.requestHeadSeconds = 1
        try await Harness.run(configuration) { harness in
            // Half a head, and nothing after it: the answer comes without the rest.
            let reply = try await exchange(harness.port, Array("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8))
            #expect(reply.hasPrefix("HTTP/1.1 408"), "\(reply.prefix(300))")
            #expect(reply.contains(#""code":"request_timeout""#), "\(reply.prefix(300))")
            // A whole head on a fresh connection is still served. (The harness's own client, connected at start and
            // idle since, was closed the same way: this test does not use it.)
            let served = try await exchange(
                harness.port, Array("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            #expect(served.hasPrefix("HTTP/1.1 200"), "\(served.prefix(300))")
        }
    }

    @Test("a connection that never sent a request does not hold a stopping server")
    func silentConnectionAtShutdown() async throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        // Bounded: before the fix the server waited for this connection for as long as it stayed open.
        try await boundedTask(within: .seconds(60)) {
            try await Harness.run { harness in
                let connected = LoopbackPort.withAddress(port: harness.port) { connect(socket, $0, $1) }
                #expect(connected == 0)
                let live = try await harness.call(.get, "/health/live")
                #expect(live.status == .ok)
                // Returning stops the server, with this connection open and silent.
            }
        }.value
    }
}

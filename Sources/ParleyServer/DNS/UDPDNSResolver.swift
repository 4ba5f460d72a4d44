import Foundation
import NIOCore
import NIOPosix

/// Asks one DNS server for TXT records over UDP, with a timeout.
public struct UDPDNSResolver: TXTResolver {
    /// The server's address.
    let server: SocketAddress
    /// How long to wait for an answer.
    let timeout: Duration

    /// A resolver for `host:port`, or for the first nameserver of /etc/resolv.conf when `address` is empty.
    public init(address: String, timeout: Duration = .seconds(3)) throws {
        var text = address
        if text.isEmpty {
            let conf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            text =
                conf.split(separator: "\n").compactMap { line -> String? in
                    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                    return parts.count >= 2 && parts[0] == "nameserver" ? String(parts[1]) : nil
                }.first ?? "127.0.0.1"
        }
        var host = text
        var port = 53
        if let colon = text.lastIndex(of: ":"), !text.contains("::") || text.hasPrefix("[") {
            host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard let parsed = Int(text[text.index(after: colon)...]) else {
                throw DNSLookupError(description: "invalid DNS server address '\(text)'")
            }
            port = parsed
        }
        server = try SocketAddress(ipAddress: host, port: port)
        self.timeout = timeout
    }

    public func txtRecords(for name: String) async throws -> [String] {
        let id = UInt16.random(in: 1...UInt16.max)
        let query = try DNSMessage.txtQuery(id: id, name: name)
        let bindHost = server.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: bindHost, port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let server = self.server
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: [String].self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query)))
                    for try await envelope in inbound {
                        // Only the server asked may answer, and only this question.
                        guard envelope.remoteAddress == server else { continue }
                        if let records = DNSMessage.txtAnswers(Array(buffer: envelope.data), to: query) {
                            return records
                        }
                    }
                    throw DNSLookupError(description: "the DNS server closed the connection")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DNSLookupError(description: "the DNS server did not answer in time")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw DNSLookupError(description: "no answer") }
            return first
        }
    }
}

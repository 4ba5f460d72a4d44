import Foundation
import Glibc
import ParleyCore
import Synchronization
import Testing

@testable import ParleyServer

/// A real DNS server (dnsmasq) on loopback serving TXT records for the verification test.
///
/// Started with `posix_spawn` and stopped with `kill` + `waitpid`: Foundation's `Process.waitUntilExit` spins a
/// run loop on Linux and can hang off the main thread.
final class DNSServer {
    let port: Int
    private let pid: pid_t

    private init(port: Int, txt: [String: String]) throws {
        self.port = port
        let arguments =
            [
                "/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--listen-address=127.0.0.1", "--port=\(port)", "--pid-file=", "--user=root",
                "--log-facility=/dev/null",
            ] + txt.map { "--txt-record=\($0.key),\($0.value)" }
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/sbin/dnsmasq", nil, nil, &argv, environ)
        guard status == 0 else { throw HarnessError("dnsmasq could not start: \(status)") }
        self.pid = pid
    }

    /// Starts dnsmasq and waits until it answers queries, so a slow start on a busy machine is not a failure.
    static func start(port: Int, txt: [String: String]) async throws -> DNSServer {
        let server = try DNSServer(port: port, txt: txt)
        let probe = try UDPDNSResolver(address: "127.0.0.1:\(port)", timeout: .milliseconds(200))
        for _ in 0..<50 {
            guard waitpid(server.pid, nil, WNOHANG) == 0 else {
                throw HarnessError("dnsmasq exited at once on port \(port)")
            }
            if let name = txt.keys.first, (try? await probe.txtRecords(for: name)) != nil { return server }
        }
        server.stop()
        throw HarnessError("dnsmasq did not answer on port \(port)")
    }

    /// Stops the server.
    ///
    /// SIGKILL, because the test process ignores SIGTERM and children inherit that.
    func stop() {
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }
}

@Suite("Domains: DNS TXT verification against a real DNS server, embed snippet")
struct DomainTests {
    @Test("a domain is verified only when its TXT record is published, then its origin may open sessions")
    func verification() async throws {
        let port = LoopbackPort.free(SOCK_DGRAM)
        // Generous: the whole suite runs at once on two cores, and a late answer is not what this test is about.
        let resolver = try UDPDNSResolver(address: "127.0.0.1:\(port)", timeout: .seconds(10))
        try await Harness.run(resolver: resolver) { harness in
            let admin = try await harness.demoAdmin()
            let created = try await harness.call(
                .post, "/api/domains", json: ["host": "https://Shop.Example.com:443/landing"], token: admin)
            #expect(created.status == .created)
            #expect(created["host"].string == "shop.example.com")
            #expect(created["verified"].bool == false)
            let id = try #require(created["id"].string)
            let recordName = try #require(created["verification"]["record_name"].string)
            let value = try #require(created["verification"]["value"].string)
            #expect(recordName == "_parley.shop.example.com")

            let origin = "https://shop.example.com"
            let early = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": "demo"], headers: [.origin: origin])
            #expect(early.status == .forbidden)

            let unrelated = try await DNSServer.start(port: port, txt: [recordName: "parley-verification=wrong"])
            let failed = try await harness.call(.put, "/api/domains/\(id)/verify", token: admin)
            unrelated.stop()
            #expect(failed.status == .unprocessableContent)
            #expect(failed.errorCode == "verification_failed")

            let server = try await DNSServer.start(port: port, txt: [recordName: value])
            let verified = try await harness.call(.put, "/api/domains/\(id)/verify", token: admin)
            server.stop()
            #expect(verified.status == .ok)
            #expect(verified["verified"].bool == true)

            let session = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": "demo"], headers: [.origin: origin])
            #expect(session.status == .ok)
            let otherHost = try await harness.call(
                .post, "/api/widget/session", json: ["widget_key": "demo"],
                headers: [.origin: "https://evil.example.com"])
            #expect(otherHost.status == .forbidden)

            let script = try await harness.call(.get, "/api/domains/\(id)/script", token: admin)
            #expect(script["snippet"].string?.contains(#"data-parley-key="demo""#) == true)
            #expect(script["snippet"].string?.contains("<script async") == true)
            #expect(script["snippet"].string?.contains("Parley.q") == true)

            #expect(try await harness.call(.delete, "/api/domains/\(id)", token: admin).status == .noContent)
            #expect(try await harness.call(.get, "/api/domains/\(id)", token: admin).status == .notFound)
        }
    }

    @Test("a DNS server that does not answer gives a 502 within the timeout, not a hung request")
    func dnsDown() async throws {
        let resolver = try UDPDNSResolver(
            address: "127.0.0.1:\(LoopbackPort.free(SOCK_DGRAM))", timeout: .milliseconds(500))
        try await Harness.run(resolver: resolver) { harness in
            let admin = try await harness.demoAdmin()
            let created = try await harness.call(.post, "/api/domains", json: ["host": "a.example.org"], token: admin)
            let id = try #require(created["id"].string)
            let started = ContinuousClock.now
            let reply = try await harness.call(.put, "/api/domains/\(id)/verify", token: admin)
            #expect(reply.status == .badGateway)
            #expect(reply.errorCode == "dns_lookup_failed")
            // The resolver gives up after 0.5 s; the bound only tells an answer from a hung request, with room for
            // a machine loaded by every other suite (CI once took 3.3 s).
            #expect(ContinuousClock.now - started < .seconds(15))
        }
    }

    /// A resolver that answers every name with `value`, after running a change the test arms (a domain removed
    /// while its lookup runs).
    final class RemovingResolver: TXTResolver {
        let value = Mutex<String>("")
        let meanwhile = Meanwhile()

        func txtRecords(for name: String) async throws -> [String] {
            try await meanwhile.run()
            return [value.withLock { $0 }]
        }
    }

    @Test("a domain removed while its DNS record is looked up is not reported verified")
    func removedDuringVerification() async throws {
        let resolver = RemovingResolver()
        try await Harness.run(resolver: resolver) { harness in
            let admin = try await harness.demoAdmin()
            let created = try await harness.call(
                .post, "/api/domains", json: ["host": "gone.example.org"], token: admin)
            let id = try #require(created["id"].string)
            resolver.value.withLock { $0 = created["verification"]["value"].string ?? "" }
            resolver.meanwhile.arm {
                _ = try await harness.store.domains.delete(DomainID(id), tenant: harness.seed.demoTenantID)
            }
            let reply = try await harness.call(.put, "/api/domains/\(id)/verify", token: admin)
            #expect(reply.status == .notFound, "\(reply.text)")
        }
    }

    @Test("invalid hosts and duplicates are refused")
    func invalidHosts() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            for host in ["", "localhost", "no spaces.com", "-bad.example.com", "1.2.3.4", "a..b.com"] {
                let reply = try await harness.call(.post, "/api/domains", json: ["host": host], token: admin)
                #expect(reply.status == .unprocessableContent, "\(host)")
            }
            #expect(
                try await harness.call(.post, "/api/domains", json: ["host": "x.example.com"], token: admin).status
                    == .created)
            #expect(
                try await harness.call(.post, "/api/domains", json: ["host": "X.example.com"], token: admin).status
                    == .conflict)
        }
    }

    @Test("DNS messages: a TXT query round-trips through the parser, compressed names included")
    func wireFormat() throws {
        let query = try DNSMessage.txtQuery(id: 0x1234, name: "_parley.a.com")
        #expect(query.count == 12 + 15 + 4)
        var response = query
        response[2] = 0x81
        response[3] = 0x80
        response[7] = 1  // one answer
        response +=
            [0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x08, 3] + Array("abc".utf8) + [3]
            + Array("def".utf8)
        #expect(DNSMessage.txtAnswers(response, to: query) == ["abcdef"])
        #expect(DNSMessage.txtAnswers(response, to: try DNSMessage.txtQuery(id: 0x9999, name: "_parley.a.com")) == nil)
        #expect(DNSMessage.txtAnswers(Array(response.prefix(20)), to: query) == nil)
        // The same id answering another question (a forged or stray reply) is not this answer.
        #expect(DNSMessage.txtAnswers(response, to: try DNSMessage.txtQuery(id: 0x1234, name: "_parley.b.com")) == nil)
    }
}

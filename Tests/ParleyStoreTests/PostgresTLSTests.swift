import Foundation
import Logging
import Testing

@testable import ParleyStore

/// `sslmode` against a real PostgreSQL server with TLS on (`scripts/postgres.sh start NAME --tls`): verified,
/// encrypted only, and refused when the server's certificate does not chain to the given root.
@Suite("PostgreSQL over TLS", .enabled(if: TLSTestServer.url != nil))
struct PostgresTLSTests {
    /// The server's URL with `sslmode=verify-full&sslrootcert=<its test CA>`.
    static var verifiedURL: String? { TLSTestServer.url }

    /// `url` with its `sslmode` and `sslrootcert` replaced, in a schema of its own.
    ///
    /// A refused handshake fails at once (the store checks one connection when it opens); the pool's wait is long
    /// enough for a busy CI host, where a whole parallel test run shares the server and both cores.
    static func url(_ base: String, sslMode: String, rootCertificate: String?) throws -> String {
        var components = try #require(URLComponents(string: base))
        var items = (components.queryItems ?? []).filter { !["sslmode", "sslrootcert"].contains($0.name) }
        items.append(URLQueryItem(name: "sslmode", value: sslMode))
        if let rootCertificate { items.append(URLQueryItem(name: "sslrootcert", value: rootCertificate)) }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        items += [
            URLQueryItem(name: "schema", value: schema), URLQueryItem(name: "pool_size", value: "2"),
            URLQueryItem(name: "pool_timeout", value: "30"),
        ]
        components.queryItems = items
        return try #require(components.string)
    }

    /// Whether the store's own connection is encrypted, as the server sees it.
    static func encrypted(_ url: String) async throws -> Bool {
        let store = try await PostgresStore.open(PostgresConfiguration(url: url), logger: Logger(label: "tls"))
        let rows = try await store.database.query(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", scope: .unscoped)
        await store.database.close()
        return try #require(rows.first).int("ssl") == 1
    }

    @Test("verify-full with the server's CA connects encrypted, and a whole store migrates and works over it")
    func verified() async throws {
        let base = try #require(Self.verifiedURL)
        let root = try #require(URLComponents(string: base)?.queryItems?.first { $0.name == "sslrootcert" }?.value)
        let url = try Self.url(base, sslMode: "verify-full", rootCertificate: root)
        #expect(try await Self.encrypted(url))
        let store = try await PostgresStore.open(PostgresConfiguration(url: url), logger: Logger(label: "tls"))
        try await store.migrate()
        let tenant = StoreContractTests.tenant("tls")
        try await store.tenants.create(tenant)
        #expect(try await store.tenants.get(tenant.id)?.name == tenant.name)
        await store.database.close()
    }

    @Test("require encrypts without verifying; disable stays in the clear on the same server")
    func requireAndDisable() async throws {
        let base = try #require(Self.verifiedURL)
        #expect(try await Self.encrypted(try Self.url(base, sslMode: "require", rootCertificate: nil)))
        #expect(try await Self.encrypted(try Self.url(base, sslMode: "disable", rootCertificate: nil)) == false)
    }

    @Test("verify-full against roots without the server's CA is refused at once, saying why, without the password")
    func wrongRoot() async throws {
        let base = try #require(Self.verifiedURL)
        // The system's public roots: a real bundle that certainly does not hold the test CA.
        let url = try Self.url(base, sslMode: "verify-full", rootCertificate: "/etc/ssl/certs/ca-certificates.crt")
        do {
            _ = try await Self.encrypted(url)
            Issue.record("a server certificate from an unknown CA was accepted")
        } catch {
            // Refused at once, saying why; the URL shown hides the password.
            let password = try #require(URLComponents(string: base)?.password)
            #expect("\(error)".contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
            #expect("\(error)".contains(":***@") && !"\(error)".contains(":\(password)@"), "\(error)")
        }
    }
}

/// The TLS test server, when the test run has one.
enum TLSTestServer {
    /// `PARLEY_TEST_TLS_DATABASE_URL`: `scripts/postgres.sh`'s `url-tls` file.
    static var url: String? {
        ProcessInfo.processInfo.environment["PARLEY_TEST_TLS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

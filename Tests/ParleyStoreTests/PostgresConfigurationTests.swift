import Testing

@testable import ParleyStore

/// `DATABASE_URL` for PostgreSQL: what it selects, and clear refusals that never echo the password.
@Suite("PostgreSQL URL")
struct PostgresConfigurationTests {
    @Test("host, port, user, password, database, schema and pool settings are read")
    func reads() throws {
        let configuration = try PostgresConfiguration(
            url:
                "postgresql://app%40corp:s%3Acret@db.internal:6543/parley?schema=tenant_data&pool_size=7&pool_timeout=2.5"
        )
        #expect(configuration.client.host == "db.internal")
        #expect(configuration.client.port == 6543)
        #expect(configuration.client.username == "app@corp")
        #expect(configuration.client.password == "s:cret")
        #expect(configuration.client.database == "parley")
        #expect(configuration.schema == "tenant_data")
        #expect(configuration.client.options.maximumConnections == 7)
        #expect(configuration.poolTimeout == .milliseconds(2_500))
        #expect(
            configuration.client.options.additionalStartupParameters.contains {
                $0 == ("search_path", "tenant_data, public")
            })
        #expect(!configuration.redacted.contains("s%3Acret") && configuration.redacted.contains("***"))
    }

    @Test("sslmode follows libpq: disable, prefer by default, require, verify-ca, verify-full")
    func sslModes() throws {
        let base = "postgres://u:p@h/d"
        #expect(try PostgresConfiguration(url: base).sslMode == "prefer")
        for mode in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            #expect(try PostgresConfiguration(url: base + "?sslmode=\(mode)").sslMode == mode)
        }
    }

    @Test("bad URLs are refused with a reason and without the password")
    func refusals() {
        for url in [
            "mysql://u:secret@h/d", "postgres://:secret@h/d", "postgres://u:secret@/d",
            "postgres://u:secret@h/d?sslmode=sometimes", "postgres://u:secret@h/d?pool_size=0",
            "postgres://u:secret@h/d?schema=Robert'); DROP TABLE tenants;--", "postgres://u:secret@h/d?pool_timeout=x",
        ] {
            #expect(throws: PostgresConfiguration.InvalidURL.self, "\(url)") { try PostgresConfiguration(url: url) }
            do {
                _ = try PostgresConfiguration(url: url)
            } catch {
                #expect(!"\(error)".contains("secret"), "\(error)")
            }
        }
    }
}

import Foundation
import Logging
import ParleyCore
import Testing

@testable import ParleyStore

/// Tenant isolation in depth on PostgreSQL: row-level security holds even for statements that forget their tenant
/// filter, and Parley refuses to run as a role that would bypass it.
@Suite("PostgreSQL row-level security", .enabled(if: StoreFactory.postgresURL != nil))
struct PostgresRowSecurityTests {
    /// A fresh PostgreSQL store with two tenants, each with a conversation, a message, a domain, an API key, a user,
    /// a chain version and a knowledge document.
    static func populated() async throws -> (PostgresStore, Tenant, Tenant) {
        let store = try #require(try await StoreFactory.postgres.make() as? PostgresStore)
        let a = StoreContractTests.tenant("a")
        let b = StoreContractTests.tenant("b")
        for tenant in [a, b] {
            try await store.tenants.create(tenant)
            let conversation = StoreContractTests.conversation(tenant)
            try await store.conversations.create(conversation)
            _ = try await store.messages.appendCustomer(StoreContractTests.customerMessage(conversation, client: "c"))
            try await store.domains.create(
                WebsiteDomain(
                    id: .generate(), tenantID: tenant.id, host: "\(tenant.name).example.com", verificationToken: "t",
                    verifiedAt: nil, createdAt: Date()))
            try await store.apiKeys.create(
                ApiKey(
                    id: .generate(), tenantID: tenant.id, name: "k", prefix: "prl_\(tenant.name)", role: .analyst,
                    createdAt: Date(), revokedAt: nil), secretHash: "hash-\(tenant.name)")
            try await store.users.create(
                User(
                    id: .generate(), tenantID: tenant.id, email: "\(tenant.name)@example.com", name: tenant.name,
                    role: .agentManager, passwordHash: "x", createdAt: Date()))
            _ = try await store.chains.activate(ChainConfig(stages: []), tenant: tenant.id, by: nil)
            let document = KnowledgeDocument(
                id: .generate(), tenantID: tenant.id, kind: "faq", sourceKey: "k", title: "Refunds", url: nil,
                contentHash: "h", version: 1, chunkCount: 1, embeddingModel: nil, createdAt: Date(), updatedAt: Date())
            _ = try await store.knowledge.store(
                document,
                chunks: [
                    KnowledgeChunk(
                        id: "chunk-\(tenant.name)", tenantID: tenant.id, documentID: document.id, position: 0,
                        title: "Refunds", headingPath: [], url: nil, text: "Refunds take five days.", embedding: nil)
                ])
        }
        return (store, a, b)
    }

    @Test("every language mapped to a text-search configuration names one this server has")
    func textSearchConfigurations() async throws {
        let store = try #require(try await StoreFactory.postgres.make() as? PostgresStore)
        let names = Set(
            try await store.database.query("SELECT cfgname::text AS name FROM pg_ts_config", scope: .unscoped)
                .map { try $0.string("name") })
        #expect(Set(PostgresTextSearch.byLanguage.values).subtracting(names).isEmpty, "\(names)")
        #expect(PostgresTextSearch.configuration(for: "pt-BR") == "portuguese")
        #expect(PostgresTextSearch.configuration(for: "ja") == "simple")
        #expect(PostgresTextSearch.configuration(for: nil) == "simple")
    }

    @Test("a raw SELECT without the tenant setting returns nothing from any tenant-owned table")
    func noSettingNoRows() async throws {
        let (store, _, _) = try await Self.populated()
        for (table, _) in PostgresSchema.tenantTables {
            let rows = try await store.database.query("SELECT count(*) AS n FROM \(table)", scope: .unscoped)
            #expect(try rows[0].int("n") == 0, "\(table) shows rows without app.tenant_id")
        }
        // The rows are there: the tenants' own scopes see them.
        let seen = try await store.database.query("SELECT count(*) AS n FROM conversations", scope: .tenant(.init("x")))
        #expect(try seen[0].int("n") == 0)
        try await store.close()
    }

    @Test("tenant A's setting reads only A's rows, even with no WHERE clause, and cannot write B's")
    func settingForOneTenant() async throws {
        let (store, a, b) = try await Self.populated()
        for table in ["conversations", "messages", "domains", "api_keys", "users", "chain_configs", "knowledge_chunks"]
        {
            let rows = try await store.database.query("SELECT DISTINCT tenant_id FROM \(table)", scope: .tenant(a.id))
            #expect(try rows.map { try $0.string("tenant_id") } == [a.id.rawValue], "\(table)")
        }
        // Writing a row for B while in A's scope breaks the policy.
        await #expect(throws: (any Error).self) {
            try await store.database.query(
                "INSERT INTO visitors (tenant_id, id, attributes, first_seen_at, last_seen_at) VALUES (?, 'v', '{}', 0, 0)",
                [.text(b.id.rawValue)], scope: .tenant(a.id))
        }
        // Nor can A's scope change or delete B's rows: nothing matches.
        let deleted = try await store.database.query(
            "DELETE FROM conversations RETURNING id", scope: .tenant(a.id))
        #expect(deleted.count == 1)
        #expect(try await store.conversations.list(tenant: b.id, state: nil, limit: 10).count == 1)
        try await store.close()
    }

    @Test("a lookup scope finds exactly the row whose secret it holds, and nothing else")
    func lookups() async throws {
        let (store, a, _) = try await Self.populated()
        let byHash = try await store.database.query(
            "SELECT tenant_id FROM api_keys", scope: .lookup(.apiKeySecretHash, "hash-a"))
        #expect(try byHash.map { try $0.string("tenant_id") } == [a.id.rawValue])
        let byEmail = try await store.database.query(
            "SELECT email FROM users", scope: .lookup(.userEmail, "a@example.com"))
        #expect(try byEmail.map { try $0.string("email") } == ["a@example.com"])
        let wrong = try await store.database.query(
            "SELECT * FROM api_keys", scope: .lookup(.apiKeySecretHash, "not-a-hash"))
        #expect(wrong.isEmpty)
        try await store.close()
    }

    @Test("a pooled connection carries no tenant setting into the next transaction")
    func settingsEndWithTheTransaction() async throws {
        let (store, a, _) = try await Self.populated()
        for _ in 0..<20 {
            _ = try await store.database.query("SELECT 1 FROM conversations", scope: .tenant(a.id))
            let leaked = try await store.database.query("SELECT count(*) AS n FROM conversations", scope: .unscoped)
            #expect(try leaked[0].int("n") == 0)
        }
        try await store.close()
    }

    @Test("replicas migrating together apply each migration once")
    func concurrentMigrations() async throws {
        let base = try #require(StoreFactory.postgresURL)
        let schema = "m_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await PostgresStore.open(PostgresConfiguration(url: url), logger: Logger(label: "m"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for store in stores { group.addTask { try await store.migrate() } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == PostgresSchema.migrations.map(\.version))
        for store in stores { try await store.close() }
    }

    @Test("a failed statement's loggable details name its SQLSTATE and constraint, not the values it quotes")
    func errorDetails() async throws {
        let (store, _, _) = try await Self.populated()
        let secret = "visitor-secret-\(UUID().uuidString)"
        do {
            _ = try await store.database.query("SELECT ?::uuid AS id", [.text(secret)], scope: .unscoped)
            Issue.record("the cast succeeded")
        } catch {
            let details = StoreErrorDetails.of(error)
            #expect(details["sqlstate"] == "22P02", "\(details)")  // invalid_text_representation
            #expect(!details.values.contains { $0.contains(secret) }, "\(details)")
            // PostgreSQL's own message quotes the value: that is why it is not among the details.
            #expect(PostgresFailure.serverError(in: error)?.serverInfo?[.message]?.contains(secret) == true)
        }
        try await store.close()
    }

    @Test("a schema the role may not create in fails the migration in PostgreSQL's words, with what to do")
    func migrationWithoutPrivilege() async throws {
        let base = try #require(StoreFactory.postgresURL)
        // information_schema exists and belongs to the superuser: the test role may not create tables there.
        let url = base + (base.contains("?") ? "&" : "?") + "schema=information_schema"
        let store = try await PostgresStore.open(PostgresConfiguration(url: url), logger: Logger(label: "m"))
        let refusal = await #expect(throws: PostgresStore.MigrationRefused.self) { try await store.migrate() }
        #expect(refusal?.isPrivilege == true)
        #expect(
            refusal?.description.contains("PostgreSQL 42501: permission denied for schema information_schema") == true)
        #expect(refusal?.description.contains("PostgreSQL in production") == true)
        try await store.close()
    }

    @Test(
        "a role that bypasses row-level security is refused",
        .enabled(if: ProcessInfo.processInfo.environment["PARLEY_TEST_BYPASSRLS_URL"] != nil))
    func bypassingRoleRefused() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["PARLEY_TEST_BYPASSRLS_URL"])
        await #expect(throws: PostgresStore.RoleBypassesRowSecurity.self) {
            _ = try await PostgresStore.open(PostgresConfiguration(url: url), logger: Logger(label: "bypass"))
        }
    }
}

import Foundation
import Logging
import ParleyCore

/// The PostgreSQL store: several stateless replicas share one database, with row-level security on every
/// tenant-owned table.
public final class PostgresStore: ParleyStore, ReplicaChannelProviding {
    let database: PostgresDatabase
    private let vectors: PostgresVectors
    private let configuration: PostgresConfiguration
    private let logger: Logger

    public let tenants: any TenantRepository
    public let users: any UserRepository
    public let refreshTokens: any RefreshTokenRepository
    public let apiKeys: any ApiKeyRepository
    public let domains: any DomainRepository
    public let visitors: any VisitorRepository
    public let conversations: any ConversationRepository
    public let messages: any MessageRepository
    public let turns: any TurnRepository
    public let chains: any ChainConfigRepository
    public let rules: any RuleRepository
    public let proactive: any ProactiveRepository
    public let intents: any IntentRepository
    public let knowledge: any KnowledgeRepository
    public let assistants: any AssistantRepository
    public let widgets: any WidgetRepository
    public let attachments: any AttachmentRepository
    public let ingestionJobs: any IngestionJobRepository
    public let crawlSources: any CrawlSourceRepository
    public let usage: any UsageRepository
    public let channel: any ReplicaChannel

    /// The schema the store's tables live in (nil: the role's default).
    public var schema: String? { configuration.schema }

    /// The database role may bypass row-level security (a superuser or a `BYPASSRLS` role): tenant isolation would
    /// rest on the application's filters alone, so Parley refuses it.
    public struct RoleBypassesRowSecurity: Error, CustomStringConvertible {
        public var role: String
        public var description: String {
            "the PostgreSQL role '\(role)' bypasses row-level security (superuser or BYPASSRLS); connect Parley as an "
                + "ordinary role that owns its database (see README, PostgreSQL in production)"
        }
    }

    /// Connects to the database at `configuration`, checking that the role is held to row-level security.
    ///
    /// One connection is made first, outside the pool, so that a refused one fails at once and says why (an
    /// untrusted certificate, a wrong password, nothing listening) rather than as a pool timeout.
    public static func open(_ configuration: PostgresConfiguration, logger: Logger) async throws -> PostgresStore {
        try await PostgresDatabase.checkConnection(configuration, logger: logger)
        let database = PostgresDatabase.open(configuration, logger: logger)
        do {
            let role = try await database.query(
                "SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
                scope: .unscoped
            ).first
            if let role, try role.int("rolsuper") == 1 || role.int("rolbypassrls") == 1 {
                throw RoleBypassesRowSecurity(role: try role.string("name"))
            }
        } catch {
            await database.close()
            throw error
        }
        let vectors = await PostgresVectors.detect(database)
        return PostgresStore(database: database, vectors: vectors, configuration: configuration, logger: logger)
    }

    private init(
        database: PostgresDatabase, vectors: PostgresVectors, configuration: PostgresConfiguration, logger: Logger
    ) {
        self.database = database
        self.vectors = vectors
        self.configuration = configuration
        self.logger = logger
        tenants = PostgresTenantRepository(database: database)
        users = PostgresUserRepository(database: database)
        refreshTokens = PostgresRefreshTokenRepository(database: database)
        apiKeys = PostgresApiKeyRepository(database: database)
        domains = PostgresDomainRepository(database: database)
        visitors = PostgresVisitorRepository(database: database)
        conversations = PostgresConversationRepository(database: database)
        messages = PostgresMessageRepository(database: database)
        turns = PostgresTurnRepository(database: database, holder: configuration.replicaName ?? UUID().uuidString)
        chains = PostgresChainConfigRepository(database: database)
        rules = PostgresRuleRepository(database: database)
        proactive = PostgresProactiveRepository(database: database)
        intents = PostgresIntentRepository(database: database)
        knowledge = PostgresKnowledgeRepository(database: database, vectors: vectors)
        assistants = PostgresAssistantRepository(database: database)
        widgets = PostgresWidgetRepository(database: database)
        attachments = PostgresAttachmentRepository(database: database)
        ingestionJobs = PostgresIngestionJobRepository(database: database)
        crawlSources = PostgresCrawlSourceRepository(database: database)
        usage = PostgresUsageRepository(database: database)
        channel = PostgresReplicaChannel(database: database, schema: configuration.schema)
    }

    public var backend: String { "postgresql" }

    /// A statement of Parley's migrations that PostgreSQL refused, in PostgreSQL's words.
    public struct MigrationRefused: Error, CustomStringConvertible {
        public let schema: String
        public let explanation: String
        /// SQLSTATE 42501 or 3F000: the role may not create objects in the schema.
        public let isPrivilege: Bool

        public var description: String {
            "the database schema '\(schema)' could not be set up: \(explanation)"
                + (isPrivilege
                    ? ". The role needs to own the database (or hold CREATE on the schema): see README, "
                        + "PostgreSQL in production" : "")
        }
    }

    @discardableResult
    public func migrate() async throws -> [Int] {
        do {
            let applied = try await PostgresMigrator(database: database, logger: logger).migrate(
                schema: configuration.schema)
            try await vectors.prepare(database)
            return applied
        } catch {
            guard let failure = PostgresFailure.serverError(in: error), failure.code == .server else { throw error }
            let state = failure.serverInfo?[.sqlState] ?? ""
            throw MigrationRefused(
                schema: configuration.schema ?? "public", explanation: PostgresFailure.explain(failure),
                isPrivilege: ["42501", "3F000"].contains(state))
        }
    }

    public func ping() async throws {
        try await database.query("SELECT 1", scope: .unscoped)
    }

    public func close() async throws {
        await database.close()
    }
}

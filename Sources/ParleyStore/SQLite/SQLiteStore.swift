import Foundation
import Logging
import ParleyCore

/// The embedded SQLite store: the zero-setup default, one file under the data directory.
public final class SQLiteStore: ParleyStore {
    let database: SQLiteDatabase
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

    /// Opens the database at `path` (`:memory:` for a private in-memory database), creating the file if needed.
    public static func open(path: String, durability: SQLiteDurability = .normal, logger: Logger) async throws
        -> SQLiteStore
    {
        if path != ":memory:" {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        let database = try await SQLiteDatabase.open(path: path, durability: durability, logger: logger)
        return SQLiteStore(database: database, logger: logger)
    }

    private init(database: SQLiteDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
        tenants = SQLiteTenantRepository(database: database)
        users = SQLiteUserRepository(database: database)
        refreshTokens = SQLiteRefreshTokenRepository(database: database)
        apiKeys = SQLiteApiKeyRepository(database: database)
        domains = SQLiteDomainRepository(database: database)
        visitors = SQLiteVisitorRepository(database: database)
        conversations = SQLiteConversationRepository(database: database)
        messages = SQLiteMessageRepository(database: database)
        turns = SQLiteTurnRepository(database: database)
        chains = SQLiteChainConfigRepository(database: database)
        rules = SQLiteRuleRepository(database: database)
        proactive = SQLiteProactiveRepository(database: database)
        intents = SQLiteIntentRepository(database: database)
        knowledge = SQLiteKnowledgeRepository(database: database, termIndexes: SQLiteTermIndexes(database: database))
        assistants = SQLiteAssistantRepository(database: database)
        widgets = SQLiteWidgetRepository(database: database)
        attachments = SQLiteAttachmentRepository(database: database)
        ingestionJobs = SQLiteIngestionJobRepository(database: database)
        crawlSources = SQLiteCrawlSourceRepository(database: database)
        usage = SQLiteUsageRepository(database: database)
    }

    public var backend: String { "sqlite" }

    @discardableResult
    public func migrate() async throws -> [Int] {
        try await SQLiteMigrator(database: database, logger: logger).migrate()
    }

    public func ping() async throws {
        try await database.query("SELECT 1")
    }

    public func close() async throws {
        try await database.close()
    }
}

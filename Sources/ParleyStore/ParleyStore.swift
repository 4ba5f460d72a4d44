import ParleyCore

/// Everything Parley stores, as repositories; SQLite and PostgreSQL implement the same contract.
///
/// Every call that touches tenant-owned data takes the tenant id, and implementations filter on it in every query.
public protocol ParleyStore: Sendable {
    /// Tenants.
    var tenants: any TenantRepository { get }
    /// Admin-side users.
    var users: any UserRepository { get }
    /// Refresh tokens of signed-in users.
    var refreshTokens: any RefreshTokenRepository { get }
    /// API keys.
    var apiKeys: any ApiKeyRepository { get }
    /// Website domains.
    var domains: any DomainRepository { get }
    /// Visitors.
    var visitors: any VisitorRepository { get }
    /// Conversations.
    var conversations: any ConversationRepository { get }
    /// Messages and feedback.
    var messages: any MessageRepository { get }
    /// Finished turns: reply, trace and conversation update, stored together.
    var turns: any TurnRepository { get }
    /// Versioned chain configurations.
    var chains: any ChainConfigRepository { get }
    /// Tenants' Lua rules, their activations and shadow results.
    var rules: any RuleRepository { get }
    /// Proactive messages sent to visitors.
    var proactive: any ProactiveRepository { get }
    /// Tenants' intents and their example utterances.
    var intents: any IntentRepository { get }
    /// Tenants' knowledge documents, chunks, vectors and full-text search.
    var knowledge: any KnowledgeRepository { get }
    /// Tenants' assistant settings: persona and model providers.
    var assistants: any AssistantRepository { get }
    /// Tenants' widget settings.
    var widgets: any WidgetRepository { get }
    /// Visitors' attached files.
    var attachments: any AttachmentRepository { get }
    /// Durable knowledge ingestion jobs.
    var ingestionJobs: any IngestionJobRepository { get }
    /// Websites crawled into knowledge bases.
    var crawlSources: any CrawlSourceRepository { get }
    /// Model token usage, for billing.
    var usage: any UsageRepository { get }

    /// The database behind the store: `sqlite` or `postgresql`.
    var backend: String { get }

    /// Brings the schema to the latest version; returns the versions applied.
    @discardableResult
    func migrate() async throws -> [Int]
    /// Checks that the database answers.
    func ping() async throws
    /// Closes connections; the store is unusable afterwards.
    func close() async throws
}

/// A storage failure the API maps to a status code.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A unique value is already taken (an email, a host); the message says which.
    case conflict(String)
    /// The database cannot be reached or is restarting; the request may succeed if retried shortly.
    case unavailable(String)

    /// What a command line prints: `parley migrate` against a database it cannot reach says so in words.
    public var description: String {
        switch self {
        case .conflict(let what): "conflict: \(what)"
        case .unavailable(let reason): "the database is unavailable: \(reason)"
        }
    }
}

/// A store that forwards everything to `base`, except the repositories replaced in it: a benchmark's layer that stores
/// no turns, or a test's that delays or fails a step.
public struct ForwardingStore: ParleyStore {
    /// The store everything not replaced goes to.
    public let base: any ParleyStore
    private var replacedChains: (any ChainConfigRepository)?
    private var replacedDomains: (any DomainRepository)?
    private var replacedTurns: (any TurnRepository)?
    private var replacedMessages: (any MessageRepository)?
    private var replacedAssistants: (any AssistantRepository)?
    private var replacedWidgets: (any WidgetRepository)?
    private var replacedVisitors: (any VisitorRepository)?

    /// A store over `base` with the given repositories in place of its own.
    public init(
        base: any ParleyStore, chains: (any ChainConfigRepository)? = nil, domains: (any DomainRepository)? = nil,
        turns: (any TurnRepository)? = nil, messages: (any MessageRepository)? = nil,
        assistants: (any AssistantRepository)? = nil, widgets: (any WidgetRepository)? = nil,
        visitors: (any VisitorRepository)? = nil
    ) {
        self.base = base
        self.replacedChains = chains
        self.replacedDomains = domains
        self.replacedTurns = turns
        self.replacedMessages = messages
        self.replacedAssistants = assistants
        self.replacedWidgets = widgets
        self.replacedVisitors = visitors
    }

    public var chains: any ChainConfigRepository { replacedChains ?? base.chains }
    public var domains: any DomainRepository { replacedDomains ?? base.domains }
    public var tenants: any TenantRepository { base.tenants }
    public var users: any UserRepository { base.users }
    public var refreshTokens: any RefreshTokenRepository { base.refreshTokens }
    public var apiKeys: any ApiKeyRepository { base.apiKeys }
    public var visitors: any VisitorRepository { replacedVisitors ?? base.visitors }
    public var conversations: any ConversationRepository { base.conversations }
    public var messages: any MessageRepository { replacedMessages ?? base.messages }
    public var turns: any TurnRepository { replacedTurns ?? base.turns }
    public var rules: any RuleRepository { base.rules }
    public var proactive: any ProactiveRepository { base.proactive }
    public var intents: any IntentRepository { base.intents }
    public var knowledge: any KnowledgeRepository { base.knowledge }
    public var assistants: any AssistantRepository { replacedAssistants ?? base.assistants }
    public var widgets: any WidgetRepository { replacedWidgets ?? base.widgets }
    public var attachments: any AttachmentRepository { base.attachments }
    public var ingestionJobs: any IngestionJobRepository { base.ingestionJobs }
    public var crawlSources: any CrawlSourceRepository { base.crawlSources }
    public var usage: any UsageRepository { base.usage }
    public var backend: String { base.backend }
    public func migrate() async throws -> [Int] { try await base.migrate() }
    public func ping() async throws { try await base.ping() }
    public func close() async throws { try await base.close() }
}

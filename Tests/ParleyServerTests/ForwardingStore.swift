import ParleyStore

/// A store that forwards everything to `base`, except the repositories a test replaces to delay or fail them.
struct ForwardingStore: ParleyStore {
    let base: any ParleyStore
    var replacedChains: (any ChainConfigRepository)?
    var replacedDomains: (any DomainRepository)?
    var replacedTurns: (any TurnRepository)?
    var replacedMessages: (any MessageRepository)?
    var replacedAssistants: (any AssistantRepository)?
    var replacedWidgets: (any WidgetRepository)?
    var replacedVisitors: (any VisitorRepository)?

    init(
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

    var chains: any ChainConfigRepository { replacedChains ?? base.chains }
    var domains: any DomainRepository { replacedDomains ?? base.domains }
    var tenants: any TenantRepository { base.tenants }
    var users: any UserRepository { base.users }
    var refreshTokens: any RefreshTokenRepository { base.refreshTokens }
    var apiKeys: any ApiKeyRepository { base.apiKeys }
    var visitors: any VisitorRepository { replacedVisitors ?? base.visitors }
    var conversations: any ConversationRepository { base.conversations }
    var messages: any MessageRepository { replacedMessages ?? base.messages }
    var turns: any TurnRepository { replacedTurns ?? base.turns }
    var rules: any RuleRepository { base.rules }
    var proactive: any ProactiveRepository { base.proactive }
    var intents: any IntentRepository { base.intents }
    var knowledge: any KnowledgeRepository { base.knowledge }
    var assistants: any AssistantRepository { replacedAssistants ?? base.assistants }
    var widgets: any WidgetRepository { replacedWidgets ?? base.widgets }
    var attachments: any AttachmentRepository { base.attachments }
    var ingestionJobs: any IngestionJobRepository { base.ingestionJobs }
    var crawlSources: any CrawlSourceRepository { base.crawlSources }
    var usage: any UsageRepository { base.usage }
    var backend: String { base.backend }
    func migrate() async throws -> [Int] { try await base.migrate() }
    func ping() async throws { try await base.ping() }
    func close() async throws { try await base.close() }
}

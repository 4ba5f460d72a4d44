import Foundation
import ParleyCore
import ParleyStore
import Synchronization

/// A store that passes everything to the store it wraps, except one tenant's turns, which it does not store.
///
/// `parley bench http --ceiling` sends that tenant's messages through the real message route: token, body, chain,
/// reply and response all run as usual, but the turn's first write is answered from memory (the conversation is read
/// once, when its first message arrives, and remembered) and its last write does nothing. The route's figure is
/// then what it would reach if storing a message cost nothing: the most any store could give it.
struct UnstoredTurnsStore: ParleyStore {
    /// The store everything else goes to.
    let base: any ParleyStore
    /// The turns repository, which knows the tenant whose turns it does not store.
    let unstored: UnstoredTurns

    init(_ base: any ParleyStore) {
        self.base = base
        self.unstored = UnstoredTurns(base: base.turns)
    }

    var tenants: any TenantRepository { base.tenants }
    var users: any UserRepository { base.users }
    var refreshTokens: any RefreshTokenRepository { base.refreshTokens }
    var apiKeys: any ApiKeyRepository { base.apiKeys }
    var domains: any DomainRepository { base.domains }
    var visitors: any VisitorRepository { base.visitors }
    var conversations: any ConversationRepository { base.conversations }
    var messages: any MessageRepository { base.messages }
    var turns: any TurnRepository { unstored }
    var chains: any ChainConfigRepository { base.chains }
    var rules: any RuleRepository { base.rules }
    var proactive: any ProactiveRepository { base.proactive }
    var intents: any IntentRepository { base.intents }
    var knowledge: any KnowledgeRepository { base.knowledge }
    var assistants: any AssistantRepository { base.assistants }
    var widgets: any WidgetRepository { base.widgets }
    var attachments: any AttachmentRepository { base.attachments }
    var ingestionJobs: any IngestionJobRepository { base.ingestionJobs }
    var crawlSources: any CrawlSourceRepository { base.crawlSources }
    var usage: any UsageRepository { base.usage }
    var backend: String { base.backend }

    func migrate() async throws -> [Int] { try await base.migrate() }
    func ping() async throws { try await base.ping() }
    func close() async throws { try await base.close() }
}

/// Turns stored as usual, except those of one tenant, which are opened from memory and never written.
final class UnstoredTurns: TurnRepository {
    private let base: any TurnRepository
    private let tenant = Mutex<TenantID?>(nil)
    private let starts = Mutex<[ConversationID: TurnStart]>([:])

    init(base: any TurnRepository) { self.base = base }

    /// Stops storing the turns of `tenant`.
    func stopStoring(tenant id: TenantID) { tenant.withLock { $0 = id } }

    private func isUnstored(_ id: TenantID) -> Bool { tenant.withLock { $0 == id } }

    func begin(_ message: Message, visitor: VisitorID) async throws -> TurnOpening {
        guard isUnstored(message.tenantID) else { return try await base.begin(message, visitor: visitor) }
        if let start = starts.withLock({ $0[message.conversationID] }) { return .started(start) }
        let opening = try await base.begin(message, visitor: visitor)
        if case .started(let start) = opening { starts.withLock { $0[message.conversationID] = start } }
        return opening
    }

    func complete(_ turn: TurnRecord, reply: Message?, conversation: Conversation, beganIn: ConversationState)
        async throws
    {
        guard !isUnstored(turn.tenantID) else { return }
        try await base.complete(turn, reply: reply, conversation: conversation, beganIn: beganIn)
    }

    func get(message: MessageID, tenant: TenantID) async throws -> TurnRecord? {
        try await base.get(message: message, tenant: tenant)
    }

    func list(conversation: ConversationID, tenant: TenantID) async throws -> [TurnRecord] {
        try await base.list(conversation: conversation, tenant: tenant)
    }

    func withRuleInput(tenant: TenantID, since: Date, limit: Int) async throws -> [TurnRecord] {
        try await base.withRuleInput(tenant: tenant, since: since, limit: limit)
    }

    var turnLease: Duration? { base.turnLease }

    func claim(turn message: MessageID, tenant: TenantID, now: Date) async throws -> Bool {
        try await base.claim(turn: message, tenant: tenant, now: now)
    }

    func renew(turn message: MessageID, tenant: TenantID, now: Date) async throws {
        try await base.renew(turn: message, tenant: tenant, now: now)
    }
}

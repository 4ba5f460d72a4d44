import Logging
import ParleyCore
import ParleyStore

/// The server's assembled parts, shared by every route.
struct AppServices: Sendable {
    let configuration: ServerConfiguration
    let store: any ParleyStore
    let chains: TenantChains
    let rules: TenantRules
    let intents: TenantIntents
    let proactive: ProactiveService
    let chat: ChatService
    /// Knowledge ingestion and search, and the embedder they share (nil: lexical search only).
    let knowledge: KnowledgeServices
    /// Each tenant's model-backed answer generator.
    let answerers: TenantAnswerers
    let tokens: TokenIssuer
    /// Seals and opens tenants' provider API keys.
    let keyVault: ProviderKeyVault
    let visitorIDs: SignedVisitorID
    let passwords: PasswordHasher
    let authenticator: Authenticator
    let widgetKeyLimiter: RateLimiter
    /// Live events of conversations, for widgets and agents watching them.
    let events: ConversationEvents
    /// Forgets cached tenant settings here and on the other replicas when they change.
    let tenantChanges: TenantChanges
    /// Which agents are online or away, on every replica.
    let presence: AgentPresence
    /// Reads queued knowledge files in the background.
    let ingestion: IngestionWorker
    let resolver: any TXTResolver
    let logger: Logger
}

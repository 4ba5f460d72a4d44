import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Metrics
import ParleyCore
import ParleyStore
import Prometheus
import ServiceLifecycle

/// Assembles the Parley server: store, chains, auth, routes and middleware, as one Hummingbird application.
public enum ParleyApp {
    /// A built server and what startup produced.
    public struct Built: Sendable {
        /// The application; run it with `runService()`.
        public let application: Application<RouterResponder<AppRequestContext>>
        /// The store the application uses; closed when the application shuts down.
        public let store: any ParleyStore
        /// The demo accounts, when this start seeded an empty database.
        public let seed: SeedSummary?
    }

    /// The first-run accounts, for printing once on the console.
    public struct SeedSummary: Sendable {
        public let platformAdminEmail: String
        public let platformAdminPassword: String
        public let demoAdminEmail: String
        public let demoAdminPassword: String
        public let demoTenantID: TenantID
    }

    /// The Prometheus registry every application in this process reports to.
    public static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Opens the store, migrates it, seeds it if empty, and builds the application with the stages of `registry`.
    public static func build(
        configuration: ServerConfiguration, logger: Logger, store providedStore: (any ParleyStore)? = nil,
        resolver providedResolver: (any TXTResolver)? = nil, registry: StageRegistry = StageCatalog.registry()
    ) async throws -> Built {
        let metrics = Self.metrics
        let secret = try SecretKey.resolve(configuration)
        let store: any ParleyStore
        if let providedStore {
            store = providedStore
        } else {
            store = try await configuration.openStore(logger: logger)
        }
        try await store.migrate()
        let passwords = try await PasswordHasher.make(cost: configuration.bcryptCost)
        let tokens = await TokenIssuer.make(secret: secret, visitorTokenLifetime: configuration.visitorTokenSeconds)
        let chains = TenantChains(registry: registry, store: store, logger: logger)
        let rules = TenantRules(store: store, logger: logger)
        await warmUp(registry, logger: logger)
        let vault = ProviderKeyVault(secret: secret)
        let knowledge = try KnowledgeServices.make(
            store: store, configuration: configuration, vault: vault, logger: logger)
        let intents = TenantIntents(
            store: store, embeddings: IntentEmbeddings.make(configuration, logger: logger), logger: logger)
        let answerers = TenantAnswerers(
            store: store, vault: vault, endpointHosts: configuration.tenantEndpointHosts, logger: logger)
        let shared = store.replicaChannel != nil
        let events = ConversationEvents(sharedWithReplicas: shared)
        let tenantCache = TenantCache(store: store)
        let tenantChanges = TenantChanges(
            chains: chains, rules: rules, intents: intents, tenants: tenantCache, answerers: answerers,
            embedders: knowledge.embedders, sharedWithReplicas: shared)
        let services = AppServices(
            configuration: configuration, store: store, chains: chains, rules: rules, intents: intents,
            proactive: ProactiveService(store: store, rules: rules, chains: chains),
            chat: ChatService(
                store: store, chains: chains, rules: rules, intents: intents, inFlight: InFlightTurns(),
                tenants: tenantCache, knowledge: knowledge.search, answerers: answerers, events: events,
                queue: QueueAnnouncer(store: store, events: events, logger: logger)),
            knowledge: knowledge, answerers: answerers,
            tokens: tokens, keyVault: vault,
            visitorIDs: SignedVisitorID(secret: secret), passwords: passwords,
            authenticator: Authenticator(
                tokens: tokens, store: store, apiKeyLimiter: RateLimiter(limit: configuration.rateLimits.apiKey),
                visitorLimiter: RateLimiter(limit: configuration.rateLimits.visitor),
                messageLimiter: RateLimiter(limit: configuration.rateLimits.visitorMessages)),
            widgetKeyLimiter: RateLimiter(limit: configuration.rateLimits.widgetKey), events: events,
            tenantChanges: tenantChanges, presence: AgentPresence(sharedWithReplicas: shared),
            ingestion: IngestionWorker(
                store: store, ingestor: knowledge.ingestor, logger: logger, lease: configuration.jobLeaseSeconds,
                allowPrivateNetworks: configuration.crawlPrivateNetworks),
            resolver: try providedResolver ?? UDPDNSResolver(address: configuration.dnsServer), logger: logger)

        var seed: SeedSummary?
        if configuration.seedDemo,
            let result = try await DemoSeed(
                provisioner: TenantProvisioner(store: store, passwords: passwords),
                ingestor: configuration.seedDemoShop ? knowledge.ingestor : nil
            )
            .seedIfEmpty()
        {
            seed = SeedSummary(
                platformAdminEmail: result.platformAdmin.admin.email,
                platformAdminPassword: result.platformAdmin.password, demoAdminEmail: result.demo.admin.email,
                demoAdminPassword: result.demo.password, demoTenantID: result.demo.tenant.id)
        }

        let router = Router(context: AppRequestContext.self)
        let table = RouteTable()
        // Outermost, so that errors carry the CORS headers too: the widget calls from the tenant's own origin.
        // Credentials are bearer tokens, never cookies, so echoing the origin lends no ambient authority.
        router.add(
            middleware: CORSMiddleware(
                allowOrigin: .originBased,
                allowHeaders: [.accept, .authorization, .contentType, .origin, LiveRoutes.listenerHeader],
                allowMethods: [.get, .post, .put, .delete, .options], maxAge: .seconds(600)))
        router.add(middleware: NoSniffMiddleware())
        router.add(middleware: ErrorMiddleware(routes: table))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: NULQueryMiddleware())
        router.add(
            middleware: BodyLimitMiddleware(
                maxBytes: configuration.maxBodyBytes,
                larger: [
                    AttachmentRoutes.uploadPath: configuration.maxAttachmentBytes,
                    KnowledgeUploadRoutes.path: KnowledgeUploadRoutes.maxBytes + 64 * 1_024,
                    KnowledgeUploadRoutes.jobsPath: KnowledgeUploadRoutes.maxBytes + 64 * 1_024,
                ]))
        let api = APIRouter(router: router, table: table)
        HealthRoutes.register(api, services: services)
        MetaRoutes.register(api, services: services, metrics: metrics)
        let assets = WidgetAssets.embedded
        DemoShopRoutes.register(api, assets: assets)
        WidgetAssetRoutes.register(api, assets: assets)
        WidgetRoutes.register(api, services: services)
        WidgetSettingsRoutes.register(api, services: services, assets: assets)
        VisitorDataRoutes.register(api, services: services)
        AttachmentRoutes.register(api, services: services)
        LiveRoutes.register(api, services: services)
        EventRoutes.register(api, services: services)
        ChatRoutes.register(api, services: services)
        AuthRoutes.register(api, services: services)
        TenantRoutes.register(api, services: services)
        UserRoutes.register(api, services: services)
        ApiKeyRoutes.register(api, services: services)
        ChainRoutes.register(api, services: services)
        RuleRoutes.register(api, services: services)
        IntentRoutes.register(api, services: services)
        AssistantRoutes.register(api, services: services)
        KnowledgeRoutes.register(api, services: services)
        KnowledgeUploadRoutes.register(api, services: services)
        EmbedderRoutes.register(api, services: services)
        UsageRoutes.register(api, services: services)
        ConversationRoutes.register(api, services: services)
        AgentRoutes.register(api, services: services)
        AgentPresenceRoutes.register(api, services: services)
        CrawlRoutes.register(api, services: services)
        DomainRoutes.register(api, services: services)
        if configuration.benchmarkRoutes { BenchmarkRoutes.register(api, services: services) }

        var application = Application(
            router: router,
            server: HTTPServerBuilder { responder in
                HeadGuardedChildChannel(
                    base: HTTP1WebSocketUpgradeChannel(
                        responder: responder,
                        configuration: .init(
                            http1: .init(idleTimeout: .seconds(Int64(configuration.idleConnectionSeconds))),
                            ws: .init(maxFrameSize: VisitorSocket.maxFrameBytes))
                    ) { head, channel, _ in
                        await LiveRoutes.upgrade(head, channel: channel, services: services, logger: logger)
                    },
                    limit: configuration.maxRequestHeadBytes,
                    timeout: .seconds(Int64(configuration.requestHeadSeconds)))
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Parley"),
            logger: logger)
        // Shut down in reverse order: the server, then the ingestion worker, then the store it writes to.
        application.addServices(StoreService(store: store), services.ingestion)
        application.addServices(
            ReembeddingService(
                store: store, embedders: services.knowledge.embedders, queue: services.knowledge.reembedding,
                logger: logger),
            SearchPreparationService(store: store, logger: logger))
        if let channel = store.replicaChannel {
            application.addServices(
                ReplicaEventRelay(
                    events: services.events, tenantChanges: services.tenantChanges, presence: services.presence,
                    inFlight: services.chat.inFlight, channel: channel, store: store, logger: logger))
        }
        return Built(application: application, store: store, seed: seed)
    }
}

extension ParleyApp {
    /// Runs one throwaway turn through the default chain, so models that load lazily (language profiles,
    /// lexicons) load at startup instead of during the first visitor's turn.
    static func warmUp(_ registry: StageRegistry, logger: Logger) async {
        guard let chain = try? registry.compile(registry.defaultConfig) else { return }
        let tenant = Tenant(
            id: TenantID("warm-up"), name: "Warm-up", widgetKey: "", fallbackText: Tenant.defaultFallbackText,
            createdAt: Date())
        var turn = Turn(
            tenantID: tenant.id, conversationID: ConversationID("warm-up"), messageID: MessageID("warm-up"),
            visitorID: VisitorID("warm-up"), text: "Hello, how do I reset my password? Bonjour, merci beaucoup.")
        _ = await chain.run(&turn, context: StageContext(tenant: tenant, now: Date(), logger: logger))
    }
}

/// Closes the store after the HTTP server has drained, so in-flight turns can still write.
struct StoreService: Service {
    let store: any ParleyStore

    func run() async throws {
        try? await gracefulShutdown()
        try await store.close()
    }
}

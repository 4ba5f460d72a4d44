import Foundation
import ParleyAI
import ParleyStore

/// Everything the server is configured with, from flags and the environment.
public struct ServerConfiguration: Sendable {
    /// Whether this is a production deployment: stricter startup checks, no loopback origins.
    public enum Environment: String, Sendable {
        case development
        case production
    }

    /// The interface to listen on.
    public var host = "127.0.0.1"
    /// The TCP port to listen on; 0 picks a free one.
    public var port = 8080
    /// `sqlite:PATH`, a plain file path, or empty for `<dataDirectory>/parley.sqlite`.
    public var databaseURL = ""
    /// Where the SQLite file and the generated dev secret live.
    public var dataDirectory = "./parley-data"
    /// The server secret key, from which token-signing keys are derived; generated in development when empty.
    public var secretKey = ""
    /// Development or production.
    public var environment = Environment.development
    /// The bearer token `/metrics` asks for; without one the metrics are open in development and off in production
    /// (they name every tenant and its rules).
    public var metricsToken = ""
    /// When SQLite commits reach the disk: `normal` survives process crashes, `full` also power loss.
    public var sqliteDurability = SQLiteDurability.normal
    /// Whether an empty database gets the demo tenant.
    public var seedDemo = true
    /// Whether the demo tenant also gets the demo shop's FAQ and widget settings (tests start from an empty tenant).
    public var seedDemoShop = true
    /// The DNS server used to verify domains (`host:port`); empty means the first nameserver in /etc/resolv.conf.
    public var dnsServer = ""
    /// Whether the benchmark's step routes are served (`BenchmarkRoutes`); only `parley bench http` sets it.
    public var benchmarkRoutes = false
    /// bcrypt cost for password hashes; tests lower it, production keeps 12.
    public var bcryptCost = 12
    /// Request rate limits.
    public var rateLimits = RateLimits()
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes = 1 << 20
    /// The most bytes a connection's first request line and headers may take (`RequestHeadGuard`).
    public var maxRequestHeadBytes = 64 * 1024
    /// How long a connection's first request line and headers may take to arrive, in seconds (`RequestHeadGuard`).
    public var requestHeadSeconds = 30
    /// How long a kept-alive connection may wait between requests, or stall while sending one, in seconds (a response
    /// being written, such as an event stream, is not idle).
    public var idleConnectionSeconds = 75
    /// The longest customer message accepted, in UTF-8 bytes.
    public var maxMessageBytes = 8 * 1024
    /// Most bytes of frames a widget socket holds for a visitor who does not read them; past this it drops the
    /// connection (the widget reconnects and resyncs).
    public var maxQueuedSocketBytes = 4 << 20
    /// How long a visitor token lives, in seconds (`PARLEY_VISITOR_TOKEN_SECONDS`); the widget renews it before it
    /// ends (docs/widget.md).
    public var visitorTokenSeconds: TimeInterval = 3_600
    /// The largest file a visitor may attach, whatever a tenant's own limit says.
    public var maxAttachmentBytes = 10 << 20

    /// The all-MiniLM-L6-v2 directory (`model.safetensors`, `vocab.txt`) for semantic search; empty means lexical
    /// search only.
    public var embeddingModelDirectory = ""
    /// A remote OpenAI-style embeddings endpoint used instead of the built-in model (`PARLEY_EMBED_URL`: OpenAI,
    /// Azure OpenAI's deployment URL, Ollama, vLLM, TEI), with its model name, vector size and key.
    public var remoteEmbeddings: RemoteEmbeddings?

    /// A remote embeddings endpoint.
    public struct RemoteEmbeddings: Sendable {
        public var baseURL: String
        public var model: String
        public var dimensions: Int
        public var apiKey: String?

        /// Makes the endpoint's settings.
        public init(baseURL: String, model: String, dimensions: Int, apiKey: String?) {
            self.baseURL = baseURL
            self.model = model
            self.dimensions = dimensions
            self.apiKey = apiKey
        }
    }

    /// How long a worker's lease on a job lasts without renewal: after a crash, its jobs wait this long before another
    /// worker takes them up.
    public var jobLeaseSeconds: Double = 30
    /// Whether website crawls may reach loopback and private addresses (an intranet site, tests); off by default so
    /// that a tenant cannot crawl the server's own network.
    public var crawlPrivateNetworks = false
    /// The private hosts tenants' model and embedding endpoints may reach (`PARLEY_PROVIDER_PRIVATE_HOSTS`); nil for
    /// the default, ``tenantEndpointHosts``.
    public var providerPrivateHosts: PrivateHostAllowance?

    /// The private hosts tenants' endpoints may reach: the configured ones, else all in development (a model on
    /// this machine) and none in production, where a tenant must not reach the server's own network.
    public var tenantEndpointHosts: PrivateHostAllowance {
        providerPrivateHosts ?? (environment == .production ? .none : .all)
    }

    /// Makes the default configuration.
    public init() {}

    /// The configuration from `PARLEY_*` and `DATABASE_URL` environment variables over the defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ServerConfiguration
    {
        var configuration = ServerConfiguration()
        if let host = environment["PARLEY_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["PARLEY_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65_535).contains(value) else {
                throw ConfigurationError("PARLEY_PORT must be a port number, got '\(port)'")
            }
            configuration.port = value
        }
        configuration.databaseURL = environment["DATABASE_URL"] ?? ""
        if let directory = environment["PARLEY_DATA_DIR"], !directory.isEmpty {
            configuration.dataDirectory = directory
        }
        configuration.secretKey = environment["PARLEY_SECRET_KEY"] ?? ""
        configuration.metricsToken = environment["PARLEY_METRICS_TOKEN"] ?? ""
        if let name = environment["PARLEY_ENV"], !name.isEmpty {
            guard let value = Environment(rawValue: name) else {
                throw ConfigurationError("PARLEY_ENV must be 'development' or 'production', got '\(name)'")
            }
            configuration.environment = value
        }
        configuration.dnsServer = environment["PARLEY_DNS_SERVER"] ?? ""
        if let durability = environment["PARLEY_SQLITE_SYNCHRONOUS"], !durability.isEmpty {
            guard let value = SQLiteDurability(rawValue: durability.lowercased()) else {
                throw ConfigurationError("PARLEY_SQLITE_SYNCHRONOUS must be 'normal' or 'full', got '\(durability)'")
            }
            configuration.sqliteDurability = value
        }
        if let lease = environment["PARLEY_JOB_LEASE_SECONDS"], !lease.isEmpty {
            guard let value = Double(lease), (1...3_600).contains(value) else {
                throw ConfigurationError("PARLEY_JOB_LEASE_SECONDS must be a number of seconds from 1 to 3600")
            }
            configuration.jobLeaseSeconds = value
        }
        if let lifetime = environment["PARLEY_VISITOR_TOKEN_SECONDS"], !lifetime.isEmpty {
            guard let value = Double(lifetime), (10...86_400).contains(value) else {
                throw ConfigurationError("PARLEY_VISITOR_TOKEN_SECONDS must be a number of seconds from 10 to 86400")
            }
            configuration.visitorTokenSeconds = value
        }
        configuration.crawlPrivateNetworks = environment["PARLEY_CRAWL_PRIVATE_NETWORKS"] == "1"
        if let hosts = environment["PARLEY_PROVIDER_PRIVATE_HOSTS"] {
            configuration.providerPrivateHosts = PrivateHostAllowance(parsing: hosts)
        }
        if let limits = environment["PARLEY_RATE_LIMITS"], !limits.isEmpty {
            configuration.rateLimits = try RateLimits(parsing: limits)
        }
        configuration.publicURLOverride = environment["PARLEY_PUBLIC_URL"] ?? ""
        configuration.embeddingModelDirectory = environment["PARLEY_EMBED_MODEL"] ?? ""
        if let url = environment["PARLEY_EMBED_URL"], !url.isEmpty {
            guard let model = environment["PARLEY_EMBED_MODEL_NAME"], !model.isEmpty,
                let dimensions = environment["PARLEY_EMBED_DIMENSIONS"].flatMap(Int.init),
                (1...8_192).contains(dimensions)
            else {
                throw ConfigurationError(
                    "PARLEY_EMBED_URL needs PARLEY_EMBED_MODEL_NAME and PARLEY_EMBED_DIMENSIONS (1 to 8192)")
            }
            configuration.remoteEmbeddings = RemoteEmbeddings(
                baseURL: url, model: model, dimensions: dimensions, apiKey: environment["PARLEY_EMBED_API_KEY"])
        }
        return configuration
    }

    /// The URL browsers reach this server at, used in embed snippets; empty means `http://host:port`.
    public var publicURLOverride = ""

    /// The URL browsers reach this server at.
    public var publicURL: String {
        publicURLOverride.isEmpty ? "http://\(host):\(port)" : publicURLOverride
    }

    /// The SQLite file path the database URL names.
    public var sqlitePath: String {
        if databaseURL.isEmpty {
            return URL(fileURLWithPath: dataDirectory).appendingPathComponent("parley.sqlite").path
        }
        if databaseURL.hasPrefix("sqlite://") { return String(databaseURL.dropFirst("sqlite://".count)) }
        if databaseURL.hasPrefix("sqlite:") { return String(databaseURL.dropFirst("sqlite:".count)) }
        return databaseURL
    }
}

/// Request budgets: each is a token bucket of `burst` requests refilled at `perMinute`.
public struct RateLimits: Sendable {
    /// Every call of one visitor: reads, page events, resyncs and typing as well as messages.
    ///
    /// A page load alone costs a handful (session, page view, socket, resync), so this is wide enough for a visitor
    /// who reloads and browses, and still bounds a script.
    public var visitor = RateLimit(perMinute: 120, burst: 60)
    /// Messages and uploads per visitor: what runs a turn (and may call a paid model).
    public var visitorMessages = RateLimit(perMinute: 30, burst: 10)
    /// Session and chat calls across all visitors of one widget key.
    public var widgetKey = RateLimit(perMinute: 1_200, burst: 200)
    /// Calls per API key.
    public var apiKey = RateLimit(perMinute: 600, burst: 100)

    /// Makes the default limits.
    public init() {}

    /// The limits a `PARLEY_RATE_LIMITS` value sets over the defaults.
    ///
    /// Either `unlimited` (load and reliability tests drive many messages from one address) or a comma-separated
    /// list of `NAME=PER_MINUTE/BURST`, where NAME is `visitor`, `visitor_messages`, `widget_key` or `api_key`.
    public init(parsing text: String) throws {
        if text == "unlimited" {
            self = .unlimited
            return
        }
        self.init()
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = parts.count == 2 ? parts[1].split(separator: "/").compactMap { Double($0) } : []
            guard numbers.count == 2, numbers.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw ConfigurationError(
                    "PARLEY_RATE_LIMITS: '\(item)' is not NAME=PER_MINUTE/BURST with positive numbers (or 'unlimited')")
            }
            let limit = RateLimit(perMinute: numbers[0], burst: numbers[1])
            switch parts[0] {
            case "visitor": visitor = limit
            case "visitor_messages": visitorMessages = limit
            case "widget_key": widgetKey = limit
            case "api_key": apiKey = limit
            default:
                throw ConfigurationError(
                    "PARLEY_RATE_LIMITS: unknown budget '\(parts[0])'; "
                        + "use visitor, visitor_messages, widget_key or api_key")
            }
        }
    }

    /// Limits so high they never trip; for benchmarks.
    public static let unlimited: RateLimits = {
        var limits = RateLimits()
        let huge = RateLimit(perMinute: 100_000_000, burst: 100_000_000)
        limits.visitor = huge
        limits.visitorMessages = huge
        limits.widgetKey = huge
        limits.apiKey = huge
        return limits
    }()
}

/// One token-bucket limit.
public struct RateLimit: Sendable {
    /// Tokens added per minute.
    public var perMinute: Double
    /// The bucket size: how many requests may come at once.
    public var burst: Double

    /// Makes a limit.
    public init(perMinute: Double, burst: Double) {
        self.perMinute = perMinute
        self.burst = burst
    }
}

/// A configuration value that cannot work; the message says which and why.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Makes an error with a message.
    public init(_ description: String) {
        self.description = description
    }
}

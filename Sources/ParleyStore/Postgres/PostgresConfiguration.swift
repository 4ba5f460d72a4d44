import Foundation
import PostgresNIO

/// Where and how to connect to PostgreSQL, read from a `postgres://` URL.
///
/// The URL follows libpq: `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`. `sslmode` is `disable`,
/// `prefer` (the default, as in libpq), `require` (encrypted, certificate not checked), `verify-ca` or `verify-full`;
/// `sslrootcert` names a PEM file of trusted roots for the two verifying modes. Parley adds `schema` (the schema its
/// tables live in, created by the migrations; default `public`), `pool_size` (connections per process, default
/// 20) and `pool_timeout` (seconds a caller waits for a connection before the database counts as unavailable,
/// default 10).
public struct PostgresConfiguration: Sendable {
    /// The PostgresNIO client configuration.
    var client: PostgresClient.Configuration
    /// The schema Parley's tables live in.
    public var schema: String?
    /// This replica's name on the turns it leases (`TurnRepository.claim`); nil gives each store opened a new one.
    ///
    /// Kept across restarts of one replica (`parley serve` keeps it in its data directory), a restarted replica
    /// takes up its own unfinished turns at once instead of waiting for their leases to run out.
    public var replicaName: String?
    /// How long a caller waits for a pooled connection before the database counts as unavailable.
    public var poolTimeout: Duration = .seconds(10)
    /// The TLS mode, as libpq names it.
    public var sslMode: String
    /// The URL with its password hidden, for logs.
    public var redacted: String
    /// The TLS settings, kept to open a single connection outside the pool (`connection()`).
    private var tlsMode: TLSMode
    private var tlsConfiguration: TLSConfiguration

    private enum TLSMode {
        case disable, prefer, require
    }

    /// A URL that is not a usable PostgreSQL address; the message says what is wrong without echoing the password.
    public struct InvalidURL: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a `postgres://` or `postgresql://` URL.
    public init(url string: String) throws {
        guard let components = URLComponents(string: string), ["postgres", "postgresql"].contains(components.scheme)
        else { throw InvalidURL(description: "DATABASE_URL must be a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else {
            throw InvalidURL(description: "DATABASE_URL has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw InvalidURL(description: "DATABASE_URL has no user name")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }

        sslMode = parameters["sslmode"] ?? "prefer"
        (tlsMode, tlsConfiguration) = try Self.tls(mode: sslMode, rootCertificate: parameters["sslrootcert"])
        let tls: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require: .require(tlsConfiguration)
            }
        var client = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.isEmpty ? nil : database, tls: tls)
        if let size = parameters["pool_size"] {
            guard let count = Int(size), (1...1000).contains(count) else {
                throw InvalidURL(description: "DATABASE_URL pool_size must be a number from 1 to 1000")
            }
            client.options.maximumConnections = count
        }
        if let timeout = parameters["pool_timeout"] {
            guard let seconds = Double(timeout), (0.1...600).contains(seconds) else {
                throw InvalidURL(description: "DATABASE_URL pool_timeout must be a number of seconds from 0.1 to 600")
            }
            poolTimeout = .milliseconds(Int(seconds * 1_000))
        }
        if let schema = parameters["schema"] {
            guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                throw InvalidURL(description: "DATABASE_URL schema must be a lower-case SQL identifier")
            }
            self.schema = schema
            // Unqualified names resolve in Parley's schema first, then in `public`, where extensions such as
            // pgvector usually live.
            client.options.additionalStartupParameters = [("search_path", "\(schema), public")]
        }
        client.options.additionalStartupParameters.append(("application_name", "parley"))
        self.client = client
        var shown = components
        if shown.password != nil { shown.password = "***" }
        redacted = shown.string ?? "postgres://"
    }

    /// The same server, user, database and TLS as the pool's, for one connection of its own.
    func connection() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require: .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
        var connection = PostgresConnection.Configuration(
            host: client.host ?? "localhost", port: client.port ?? 5432, username: client.username,
            password: client.password, database: client.database, tls: tls)
        connection.options.additionalStartupParameters = client.options.additionalStartupParameters
        return connection
    }

    private static func tls(mode: String, rootCertificate: String?) throws -> (TLSMode, TLSConfiguration) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate {
            configuration.trustRoots = .file(rootCertificate)
        }
        switch mode {
        case "disable":
            return (.disable, configuration)
        case "allow", "prefer":
            configuration.certificateVerification = .none
            return (.prefer, configuration)
        case "require":
            configuration.certificateVerification = .none
            return (.require, configuration)
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return (.require, configuration)
        case "verify-full":
            configuration.certificateVerification = .fullVerification
            return (.require, configuration)
        default:
            throw InvalidURL(
                description: "DATABASE_URL sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
        }
    }
}

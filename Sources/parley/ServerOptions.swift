import ArgumentParser
import ParleyServer

/// Flags shared by commands that open the database; each overrides its environment variable.
struct ServerOptions: ParsableArguments {
    @Option(help: "Interface to listen on (PARLEY_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "TCP port (PARLEY_PORT, default 8080).")
    var port: Int?

    @Option(help: "Database URL: sqlite:PATH (DATABASE_URL, default <data-dir>/parley.sqlite).")
    var databaseURL: String?

    @Option(help: "Data directory for the SQLite file and the dev secret (PARLEY_DATA_DIR, default ./parley-data).")
    var dataDir: String?

    /// The configuration from the environment with these flags on top.
    func configuration() throws -> ServerConfiguration {
        var configuration = try ServerConfiguration.fromEnvironment()
        if let host { configuration.host = host }
        if let port {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
            configuration.port = port
        }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let dataDir { configuration.dataDirectory = dataDir }
        return configuration
    }
}

import Foundation
import Logging
import ParleyServer

/// How the benchmarks set up the Parley server they measure: a fresh database, no rate limits, cheap passwords.
enum BenchServer {
    /// A configuration on `port` with its data in a new temporary directory, which the caller removes.
    static func configuration(port: Int, name: String) -> (ServerConfiguration, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.port = port
        configuration.dataDirectory = directory.path
        configuration.rateLimits = .unlimited
        configuration.bcryptCost = 4
        return (configuration, directory)
    }

    /// A logger that only reports errors, so logging does not weigh on the figures, with `parley serve`'s handler
    /// (setting a request's metadata costs what it costs there; swift-log's default handler formats it each time).
    static var logger: Logger {
        var logger = Logger(label: "bench") { JSONLogHandler(label: $0) }
        logger.logLevel = .error
        return logger
    }
}

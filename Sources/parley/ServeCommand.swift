import ArgumentParser
import Foundation
import Logging
import ParleyServer

/// `parley serve`: runs the gateway until SIGTERM or SIGINT, then drains in-flight turns and stops.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Parley server.")

    @OptionGroup var options: ServerOptions

    @Flag(help: "Do not seed the demo tenant into an empty database.")
    var noDemo = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = try options.configuration()
        configuration.seedDemo = !noDemo
        let logger = Logger(label: "parley")
        let built: ParleyApp.Built
        do {
            built = try await ParleyApp.build(configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        if let seed = built.seed {
            say(
                """
                Seeded a new database.
                  Demo tenant admin:  \(seed.demoAdminEmail)  password: \(seed.demoAdminPassword)
                  Platform admin:     \(seed.platformAdminEmail)  password: \(seed.platformAdminPassword)
                  (These passwords are shown once. Sign in with POST /api/auth/login.)
                """)
        }
        say(
            "Parley \(ParleyVersion.current) listening on \(configuration.publicURL)  demo page: \(configuration.publicURL)/demo"
        )
        try await built.application.runService()
    }

    /// Writes a line to standard output at once; `print` would sit in a buffer when stdout is a pipe.
    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

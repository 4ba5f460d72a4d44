import ArgumentParser
import Logging
import ParleyStore

/// `parley migrate`: brings the database schema to the latest version.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try options.configuration()
        let applied = try await configuration.withStore(logger: Logger(label: "parley.migrate")) {
            try await $0.migrate()
        }
        print(
            applied.isEmpty
                ? "The schema is up to date."
                : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))")
    }
}

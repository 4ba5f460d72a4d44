import ArgumentParser
import ParleyServer

/// The `parley` command: serve the gateway, migrate the database, manage tenants, run benchmarks.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Parley: a self-hostable AI customer-support and sales chat gateway.",
        version: ParleyVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TenantCommand.self, IngestCommand.self, ModelsCommand.self,
            RulesCommand.self,
            EvalCommand.self,
            BenchCommand.self,
        ]
    )
}

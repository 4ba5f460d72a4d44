import ArgumentParser

/// `parley bench`: the benchmarks named in Benchmarks/README.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run benchmarks and print their figures.",
        subcommands: [
            ChainBenchCommand.self, HTTPBenchCommand.self, AnswerBenchCommand.self, StoreBenchCommand.self,
            RetrievalBenchCommand.self,
        ])
}

import ArgumentParser

/// `parley eval`: measures the understanding components on labelled data; each prints a table, then one JSON line.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate the in-process understanding components on datasets.",
        subcommands: [
            EvalPIICommand.self, EvalInjectionCommand.self, EvalIntentCommand.self, EvalLanguageCommand.self,
            EvalSentimentCommand.self, EvalRetrievalCommand.self,
        ])
}

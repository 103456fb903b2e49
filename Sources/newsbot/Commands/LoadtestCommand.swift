import ArgumentParser

/// `newsbot loadtest pipeline|delivery|webhook`: the benchmarks behind `scripts/bench` and BENCHMARKS.md.
struct LoadtestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Measure the pipeline, delivery and the webhook chat front (synthetic users, simulated Telegram).",
        subcommands: [LoadtestPipelineCommand.self, LoadtestDeliveryCommand.self, LoadtestWebhookCommand.self]
    )
}

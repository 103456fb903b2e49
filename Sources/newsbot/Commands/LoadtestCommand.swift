import ArgumentParser

/// `newsbot loadtest pipeline|delivery`: the benchmarks behind `scripts/bench` and BENCHMARKS.md.
struct LoadtestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Measure the pipeline and delivery on embedded defaults (synthetic users, simulated Telegram).",
        subcommands: [LoadtestPipelineCommand.self, LoadtestDeliveryCommand.self]
    )
}

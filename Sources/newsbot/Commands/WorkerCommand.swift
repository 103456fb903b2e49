import ArgumentParser
import Core
import Logging
import Pipeline
import ServiceLifecycle

/// `newsbot worker [--stages fetch,render,deliver] [--concurrency N]`: queue consumers.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Consume pipeline queues (trigger, fetch, render, deliver) until SIGTERM."
    )

    @Option(help: "Stages to run, comma-separated: trigger, fetch, render, deliver (default: all).")
    var stages: String = "trigger,fetch,render,deliver"

    @Option(help: "Concurrent jobs per stage.")
    var concurrency: Int = 2

    @Option(help: "Pipeline names or files this worker serves.")
    var pipeline: [String] = ["daily"]

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        do { _ = try PipelineStage.parseList(stages) } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        let selected = try PipelineStage.parseList(stages)
        let context = try await CommandContext(options, label: "newsbot.worker", needsTelegram: selected.contains(.deliver))
        let (runtime, logger) = (context.runtime, context.logger)
        let assembly = try PipelineAssembly(
            runtime: runtime, configuration: context.configuration, pipelines: PipelineAssembly.loadPipelines(pipeline),
            telegram: context.telegram, stages: selected, concurrency: concurrency, logger: logger)
        let http = OperationsServer.application(
            router: OperationsServer.router(readiness: runtime.readiness, metrics: context.metrics),
            host: context.configuration.httpHost, port: context.configuration.httpPort, logger: logger)
        logger.info("worker: starting", metadata: ["newsbot.backends": "\(runtime.description)"])
        try await ServiceRunner.run(runtime.services + [assembly.workers, http], logger: logger)
    }
}

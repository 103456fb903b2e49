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
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let metrics = MetricsSetup.bootstrap()
        let logger = Logger(label: "newsbot.worker")
        let runtime = try await Runtime.build(configuration, logger: logger)
        let selected = try PipelineStage.parseList(stages)
        let assembly = try PipelineAssembly(
            runtime: runtime, configuration: configuration, pipelines: PipelineAssembly.loadPipelines(pipeline),
            telegram: selected.contains(.deliver) ? PipelineAssembly.telegramClient(configuration, logger: logger)
                                                  : UnavailableTelegram(),
            stages: selected, concurrency: concurrency, logger: logger)
        let http = OperationsServer.application(
            router: OperationsServer.router(readiness: runtime.readiness, metrics: metrics),
            host: configuration.httpHost, port: configuration.httpPort, logger: logger)
        logger.info("worker: starting", metadata: ["newsbot.backends": "\(runtime.description)"])
        try await ServiceRunner.run(runtime.services + [assembly.workers, http], logger: logger)
    }
}

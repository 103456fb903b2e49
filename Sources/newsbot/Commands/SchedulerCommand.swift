import ArgumentParser
import Core
import Logging
import Pipeline

/// `newsbot scheduler`: the slot clock. Any number may run; a leader lock lets one fire.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Fire slot runs as each time zone reaches a slot (leader-elected)."
    )

    @Option(help: "The pipeline scheduled runs belong to.")
    var pipeline: String = "daily"

    @Option(name: .customLong("grace-minutes"), help: "Catch up slots missed by at most this many minutes.")
    var graceMinutes: Int = 120

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try AppConfiguration.load(overrides: options)
        LoggingSetup.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        let metrics = MetricsSetup.bootstrap()
        let logger = Logger(label: "newsbot.scheduler")
        let definition = try PipelineAssembly.loadPipelines([pipeline])[0]
        let runtime = try await Runtime.build(configuration, logger: logger)
        let scheduler = Scheduler(
            configuration: .init(pipeline: definition.name, graceWindow: .seconds(graceMinutes * 60)),
            store: runtime.store, leaderLock: runtime.leaderLock, marks: runtime.newsCache,
            coordinator: SlotRunCoordinator(store: runtime.store, queue: runtime.queue, logger: logger), logger: logger)
        let http = OperationsServer.application(
            router: OperationsServer.router(readiness: runtime.readiness, metrics: metrics),
            host: configuration.httpHost, port: configuration.httpPort, logger: logger)
        try await ServiceRunner.run(runtime.services + [scheduler, http], logger: logger)
    }
}

import ArgumentParser
import Core
import Logging
import Pipeline

/// `newsbot serve`: everything in one process on embedded defaults — the chat front (long
/// polling unless `--webhook`), the scheduler and the pipeline workers, over one SQLite file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "All in one process: chat front, scheduler and workers (embedded defaults)."
    )

    @OptionGroup var chat: ChatFrontOptions

    @Option(help: "Pipeline names or files to serve; the first one is scheduled and answers /digest.")
    var pipeline: [String] = ["daily"]

    @Option(help: "Concurrent jobs per pipeline stage.")
    var concurrency: Int = 2

    @Option(name: .customLong("grace-minutes"), help: "Catch up slots missed by at most this many minutes.")
    var graceMinutes: Int = 120

    @OptionGroup var options: CommonOptions

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        guard !pipeline.isEmpty else { throw ValidationError("--pipeline needs at least one pipeline") }
    }

    func run() async throws {
        let context = try await CommandContext(options, label: "newsbot.serve")
        let (runtime, logger) = (context.runtime, context.logger)
        let pipelines = try PipelineAssembly.loadPipelines(pipeline)
        let assembly = try PipelineAssembly(runtime: runtime, configuration: context.configuration, pipelines: pipelines,
                                            telegram: context.telegram, concurrency: concurrency, logger: logger)
        let scheduler = Scheduler(
            configuration: .init(pipeline: pipelines[0].name, graceWindow: .seconds(graceMinutes * 60)),
            store: runtime.store, leaderLock: runtime.leaderLock, marks: runtime.newsCache,
            coordinator: SlotRunCoordinator(store: runtime.store, queue: runtime.queue, logger: logger), logger: logger)
        let front = try await BotCommand.chatServices(
            chat, configuration: context.configuration, runtime: runtime, telegram: context.telegram,
            metrics: context.metrics, logger: logger)
        logger.info("serve: starting", metadata: ["newsbot.mode": "\(chat.webhook ? "webhook" : "polling")",
                                                  "newsbot.backends": "\(runtime.description)"])
        try await ServiceRunner.run(runtime.services + [assembly.workers, scheduler] + front, logger: logger)
    }
}

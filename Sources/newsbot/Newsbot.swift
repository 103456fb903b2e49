import ArgumentParser

/// `newsbot`: one executable for every role (DESIGN.md "Contracts → CLI").
@main
struct Newsbot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsbot",
        abstract: "Telegram news digests: chat front, slot pipeline, delivery.",
        subcommands: [
            DemoCommand.self,
            ServeCommand.self,
            BotCommand.self,
            WorkerCommand.self,
            SchedulerCommand.self,
            PipelineCommand.self,
            SourcesCommand.self,
            MigrateCommand.self,
            TelegramSimCommand.self,
            LoadtestCommand.self,
        ]
    )
}

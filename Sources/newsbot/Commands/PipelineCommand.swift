import ArgumentParser

/// `newsbot pipeline run|status|replay`.
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Trigger slot runs, watch them, replay fixture batches.",
        subcommands: [PipelineRunCommand.self, PipelineStatusCommand.self, PipelineReplayCommand.self]
    )
}

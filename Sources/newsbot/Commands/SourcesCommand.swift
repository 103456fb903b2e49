import ArgumentParser

/// `newsbot sources check|status`: operator tooling for news sources.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Check feeds and GNews responses before a slot runs; show how the sources are doing.",
        subcommands: [SourcesCheckCommand.self, SourcesStatusCommand.self]
    )
}

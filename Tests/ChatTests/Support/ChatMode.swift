import Testing

/// How updates reach the bot in a test: the simulator pushes them to the webhook route over
/// HTTP, or the long poller fetches them with getUpdates.
enum ChatMode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case polling
    case webhook

    var testDescription: String { rawValue }
}

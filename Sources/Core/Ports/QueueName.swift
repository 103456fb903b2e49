/// A named work queue. The pipeline's queues are constants here so every backend and every
/// process agrees on them.
public struct QueueName: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Slot-run triggers and on-demand `/digest` requests.
    public static let trigger = QueueName("newsbot.trigger")
    /// One job per (topic, language) to fetch and rank.
    public static let fetch = QueueName("newsbot.fetch")
    /// Chunks of users to render and fan out.
    public static let render = QueueName("newsbot.render")
    /// One job per Telegram message.
    public static let deliver = QueueName("newsbot.deliver")

    public static let pipelineQueues: [QueueName] = [.trigger, .fetch, .render, .deliver]
}

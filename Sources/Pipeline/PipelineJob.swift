import Core
import Foundation

/// The payload of a job on the pipeline's `trigger`, `fetch` and `render` queues.
///
/// Encoded as a small JSON object with a `type` discriminator and snake_case fields, e.g.
/// `{"type":"render","run":"daily/08:00/2026-11-26","user_ids":[1,2,3]}`, so operators can read
/// dead letters and other tools can produce jobs without Swift's enum encoding.
public enum PipelineJob: Sendable, Hashable, Codable {
    /// Create or resume a slot run for the due users of `timeZones` (nil: every zone).
    case trigger(run: SlotRunKey, timeZones: [String]?)
    /// Fetch and rank one (topic, language) through the shared cache, for `pipeline`'s sources.
    case fetch(pipeline: String, topic: Topic, language: Language)
    /// Render and fan out the digests of a chunk of a run's users.
    case render(run: SlotRunKey, userIDs: [Int64])
    /// `/digest`: one digest for one user now, outside the schedule.
    case onDemand(userID: Int64)

    /// The queue this job belongs on.
    public var queue: QueueName {
        switch self {
        case .trigger, .onDemand: .trigger
        case .fetch: .fetch
        case .render: .render
        }
    }

    public func encoded() throws -> Data {
        try Self.encoder.encode(self)
    }

    public init(decoding data: Data) throws {
        self = try Self.decoder.decode(PipelineJob.self, from: data)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder = JSONDecoder()

    private enum CodingKeys: String, CodingKey {
        case type, run, timeZones = "time_zones", pipeline, topic, language, userIDs = "user_ids", userID = "user_id"
    }

    private enum Kind: String, Codable {
        case trigger, fetch, render, onDemand = "on_demand"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .trigger:
            self = .trigger(run: try Self.decodeRun(container), timeZones: try container.decodeIfPresent([String].self, forKey: .timeZones))
        case .fetch:
            self = .fetch(pipeline: try container.decode(String.self, forKey: .pipeline),
                          topic: try container.decode(Topic.self, forKey: .topic),
                          language: try container.decode(Language.self, forKey: .language))
        case .render:
            self = .render(run: try Self.decodeRun(container), userIDs: try container.decode([Int64].self, forKey: .userIDs))
        case .onDemand:
            self = .onDemand(userID: try container.decode(Int64.self, forKey: .userID))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .trigger(let run, let timeZones):
            try container.encode(Kind.trigger, forKey: .type)
            try container.encode(run.description, forKey: .run)
            try container.encodeIfPresent(timeZones, forKey: .timeZones)
        case .fetch(let pipeline, let topic, let language):
            try container.encode(Kind.fetch, forKey: .type)
            try container.encode(pipeline, forKey: .pipeline)
            try container.encode(topic, forKey: .topic)
            try container.encode(language, forKey: .language)
        case .render(let run, let userIDs):
            try container.encode(Kind.render, forKey: .type)
            try container.encode(run.description, forKey: .run)
            try container.encode(userIDs, forKey: .userIDs)
        case .onDemand(let userID):
            try container.encode(Kind.onDemand, forKey: .type)
            try container.encode(userID, forKey: .userID)
        }
    }

    /// Runs travel as their `pipeline/HH:MM/YYYY-MM-DD` name.
    private static func decodeRun(_ container: KeyedDecodingContainer<CodingKeys>) throws -> SlotRunKey {
        let raw = try container.decode(String.self, forKey: .run)
        guard let key = SlotRunKey(raw) else {
            throw DecodingError.dataCorruptedError(forKey: .run, in: container, debugDescription: "run must be pipeline/HH:MM/YYYY-MM-DD")
        }
        return key
    }
}

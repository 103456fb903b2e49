import Foundation

/// The `/digest` request the chat front puts on the `trigger` queue: one digest for one user
/// now, outside the schedule.
///
/// It lives in Core so the chat front can write it without depending on the pipeline. Its wire
/// format is exactly the pipeline's `PipelineJob.onDemand` payload,
/// `{"type":"on_demand","user_id":42}`, which the pipeline's workers decode.
public struct OnDemandDigestRequest: Sendable, Hashable, Codable {
    /// The `type` discriminator of the pipeline's job payloads.
    public static let type = "on_demand"

    public var userID: Int64

    public init(userID: Int64) {
        self.userID = userID
    }

    /// The queue the request goes on.
    public static var queue: QueueName { .trigger }

    /// The JSON payload, keys sorted: `{"type":"on_demand","user_id":N}`.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    private enum CodingKeys: String, CodingKey {
        case type
        case userID = "user_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == Self.type else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "not an on-demand digest request")
        }
        userID = try container.decode(Int64.self, forKey: .userID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.type, forKey: .type)
        try container.encode(userID, forKey: .userID)
    }
}

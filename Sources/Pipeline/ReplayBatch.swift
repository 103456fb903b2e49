import Core
import Foundation
import Yams

/// A QA replay batch folder, loaded and checked (DESIGN.md, "Replay batch"):
/// `batch.yml` (`now`, `slot`, `pipeline`), `users.json`, and `news/` read by the fixture sources.
/// Every problem is reported with its file and, where there is one, the line or user.
public struct ReplayBatch: Sendable {
    public var directory: URL
    /// The fixed instant the whole replay runs at.
    public var now: Date
    public var slot: Slot
    public var pipeline: PipelineDefinition
    public var users: [Subscriber]

    public init(directory: URL, now: Date, slot: Slot, pipeline: PipelineDefinition, users: [Subscriber]) {
        self.directory = directory
        self.now = now
        self.slot = slot
        self.pipeline = pipeline
        self.users = users
    }

    /// Users due: active and holding the batch's slot, by id.
    public var dueUsers: [Subscriber] {
        users.filter { $0.status == .active && $0.slots.contains(slot) }.sorted { $0.id < $1.id }
    }

    /// Reads the batch at `directory`. The pipeline is `pipelines/NAME.yml` found from the current
    /// directory or the batch's (and their parents), or a path relative to either.
    public static func load(_ directory: URL, loader: PipelineLoader = PipelineLoader()) throws -> ReplayBatch {
        let batchFile = directory.appendingPathComponent("batch.yml")
        guard let text = try? String(contentsOf: batchFile, encoding: .utf8) else {
            throw NewsbotError(.invalidInput, "\(batchFile.path): cannot read batch.yml")
        }
        let (now, slot, pipelineName) = try parseBatchFile(text, file: batchFile.path)
        let pipeline: PipelineDefinition
        do {
            pipeline = try loader.load(pipelineName, searchingFrom: [directory])
        } catch {
            throw NewsbotError(.configuration, error.description)
        }
        let users = try loadUsers(directory.appendingPathComponent("users.json"))
        return ReplayBatch(directory: directory, now: now, slot: slot, pipeline: pipeline, users: users)
    }

    static func parseBatchFile(_ text: String, file: String) throws -> (Date, Slot, String) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw NewsbotError(.invalidInput, "\(file):\(PipelineLoader.issue(for: error))")
        }
        var reader = PipelineYAMLReader()
        var now: Date?, slot: Slot?, pipeline: String?
        if let root, let entries = reader.mapping(root, "", allowed: ["now", "slot", "pipeline", "description"]) {
            for (key, value) in entries {
                switch key {
                case "now":
                    if let raw = reader.string(value, key) {
                        now = try? Date(raw.trimmingWhitespace(), strategy: .iso8601)
                        if now == nil { reader.fail(value, key, "must be an ISO 8601 instant such as 2026-11-26T08:00:00Z") }
                    }
                case "slot":
                    if let raw = reader.string(value, key) {
                        slot = Slot(raw)
                        if slot == nil { reader.fail(value, key, "must be HH:MM (quote it: \"08:00\")") }
                    }
                case "pipeline":
                    pipeline = reader.string(value, key)
                default:
                    break
                }
            }
            for (key, found) in [("now", now != nil), ("slot", slot != nil), ("pipeline", pipeline != nil)]
            where !found && !entries.contains(where: { $0.key == key }) {
                reader.fail(root, key, "is required")
            }
        } else if root == nil {
            reader.fail(nil, "", "the file is empty")
        }
        guard reader.issues.isEmpty, let now, let slot, let pipeline else {
            throw NewsbotError(.invalidInput, PipelineLoadError(file: file, issues: reader.issues).description)
        }
        return (now, slot, pipeline)
    }

    static func loadUsers(_ file: URL) throws -> [Subscriber] {
        guard let data = try? Data(contentsOf: file) else {
            throw NewsbotError(.invalidInput, "\(file.path): cannot read users.json")
        }
        let raw: [ReplayUser]
        do {
            raw = try JSONDecoder().decode([ReplayUser].self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw NewsbotError(.invalidInput, "\(file.path): \(Self.describe(context.codingPath)): missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw NewsbotError(.invalidInput, "\(file.path): \(Self.describe(context.codingPath)): wrong type")
        } catch {
            throw NewsbotError(.invalidInput, "\(file.path): not a JSON array of users")
        }
        var seen = Set<Int64>()
        return try raw.enumerated().map { index, user in
            func fail(_ message: String) -> NewsbotError {
                NewsbotError(.invalidInput, "\(file.path): user \(index + 1) (id \(user.id)): \(message)")
            }
            guard seen.insert(user.id).inserted else { throw fail("duplicate id") }
            guard let language = Language(rawValue: user.language) else {
                throw fail("language must be one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let zone = user.timezone, TimeZoneName.resolve(zone) == nil { throw fail("unknown time zone '\(zone)'") }
            let status = try user.status.map { raw in
                guard let status = UserStatus(rawValue: raw) else { throw fail("status must be active, paused or blocked") }
                return status
            } ?? .active
            let slots = try user.slots.map { raw in
                guard let slot = Slot(raw) else { throw fail("slot '\(raw)' is not HH:MM") }
                return slot
            }
            let topics = try user.topics.map { raw in
                guard let topic = Topic(raw) else { throw fail("empty topic") }
                return topic
            }
            return Subscriber(id: user.id, chatID: user.chatID, language: language, timeZone: user.timezone,
                              status: status, slots: slots, topics: topics)
        }
    }

    private static func describe(_ path: [any CodingKey]) -> String {
        guard let index = path.first?.intValue else { return "users" }
        return "user \(index + 1)" + (path.count > 1 ? " \"\(path[1].stringValue)\"" : "")
    }
}

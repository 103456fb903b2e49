import Core

/// A stage a worker process can run (`newsbot worker --stages fetch,render,deliver`), named after
/// the queue it consumes.
public enum PipelineStage: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Slot-run triggers and on-demand `/digest` requests.
    case trigger
    case fetch
    case render
    /// Sending to Telegram (Delivery's `DeliveryWorker`).
    case deliver

    public var queue: QueueName {
        switch self {
        case .trigger: .trigger
        case .fetch: .fetch
        case .render: .render
        case .deliver: .deliver
        }
    }

    public var description: String { rawValue }

    /// Parses a comma-separated list such as `fetch,render,deliver`; `all` means every stage.
    /// Throws naming the first unknown stage.
    public static func parseList(_ text: String) throws -> Set<PipelineStage> {
        var stages = Set<PipelineStage>()
        for raw in text.split(separator: ",") {
            let name = raw.trimmingWhitespace().lowercased()
            if name == "all" {
                stages.formUnion(allCases)
            } else if let stage = PipelineStage(rawValue: name) {
                stages.insert(stage)
            } else {
                throw NewsbotError(.invalidInput, "unknown stage '\(name)' (expected \(allCases.map(\.rawValue).joined(separator: ", ")) or all)")
            }
        }
        guard !stages.isEmpty else { throw NewsbotError(.invalidInput, "no stage given") }
        return stages
    }

    public static func < (lhs: PipelineStage, rhs: PipelineStage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

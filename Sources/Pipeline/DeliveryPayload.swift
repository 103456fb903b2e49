import Core
import Foundation

/// The bytes of a job on the deliver queue: `DeliveryJob` as JSON, the form `DeliveryWorker`
/// decodes. Used when a resumed run re-enqueues stored messages.
enum DeliveryPayload {
    private static let encoder = JSONEncoder()

    static func encode(_ job: DeliveryJob) throws -> Data {
        try encoder.encode(job)
    }
}

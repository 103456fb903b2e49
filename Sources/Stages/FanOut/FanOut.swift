public import Foundation
public import Core

/// The fan-out stage: stored digest messages become `deliver` queue payloads, one job per
/// message, keyed (user, slot, local date, part) so a redelivered job is never sent twice.
///
/// The JSON is stable (sorted keys, no escaped slashes): the same message always gives the same
/// bytes, whichever process encodes it. It is written and read by hand (`DeliveryJob.jsonPayload()`):
/// the bytes `JSONEncoder` would write, at a fraction of the cost.
public enum FanOut {
    /// Payloads for the messages not yet settled (neither delivered nor failed), in input order.
    public static func payloads(for messages: [DigestMessage]) throws -> [Data] {
        try messages.filter { $0.deliveredAt == nil && $0.failure == nil }.map { try encode(DeliveryJob(message: $0)) }
    }

    public static func encode(_ job: DeliveryJob) throws -> Data {
        job.jsonPayload()
    }

    /// The job in a `deliver` payload.
    public static func decode(_ payload: Data) throws -> DeliveryJob {
        try DeliveryJob(jsonPayload: payload)
    }
}

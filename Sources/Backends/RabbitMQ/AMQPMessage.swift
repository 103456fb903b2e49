import Foundation

/// A message taken with basic.get, copied out of librabbitmq's buffers.
struct AMQPMessage {
    var deliveryTag: UInt64
    var redelivered: Bool
    var body: Data
    var headers: [String: AMQPField]
}

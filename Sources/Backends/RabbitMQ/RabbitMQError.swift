import Core

/// A RabbitMQ failure. Messages carry library or broker text, never credentials.
public struct RabbitMQError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidConfiguration
        case connectionFailed
        case connectionLost
        case timeout
        /// The broker refused something (channel or connection close, publish nack).
        case server
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Masked once more (Core's `Redaction`): the texts come from librabbitmq and the broker,
    /// which this code does not control.
    public var description: String { "RabbitMQ \(kind): \(Redaction.redact(message))" }
}

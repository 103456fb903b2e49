/// An error of the Redis backend. The message is terse and never carries a password, a URL
/// or a command's arguments, so it is safe to log.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public enum Code: String, Sendable, Hashable {
        /// The `redis://` URL or another setting is invalid.
        case invalidConfiguration
        /// A connection could not be made (refused, unreachable, AUTH/SELECT failed).
        case connectionFailed
        /// An established connection broke while a command was in flight.
        case connectionLost
        /// The server did not answer within the command timeout.
        case timeout
        /// The server answered with an error reply (`message` starts with its prefix,
        /// e.g. `WRONGTYPE`, `NOSCRIPT`).
        case server
        /// The reply could not be read or had an unexpected shape.
        case protocolError
        /// The client was closed.
        case clientClosed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The first word of a server error (`NOSCRIPT`, `WRONGTYPE`, `BUSY`, …), else nil.
    public var serverErrorPrefix: String? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    /// True when trying again later may succeed (the server or the network was the problem,
    /// not the request).
    public var isRetriable: Bool {
        switch code {
        case .connectionFailed, .connectionLost, .timeout: true
        case .server: serverErrorPrefix == "BUSY" || serverErrorPrefix == "LOADING" || serverErrorPrefix == "TRYAGAIN"
        case .invalidConfiguration, .protocolError, .clientClosed: false
        }
    }

    public var description: String { "RedisError.\(code.rawValue): \(message)" }

    /// What every command fails with once its client is closed.
    static let clientIsClosed = RedisError(.clientClosed, "the Redis client is closed")
}

import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pooled connection and the serial `DispatchQueue` that owns it. All blocking hiredis
/// calls of this connection run on that queue (Dispatch's threads, not Swift's cooperative
/// pool), and only there is the mutable state touched: that is why `@unchecked Sendable`
/// is safe. It (re)connects lazily, with exponential backoff after failed attempts.
final class RedisConnectionSlot: @unchecked Sendable {
    let index: Int
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let queue: DispatchQueue

    // Touched only on `queue`.
    private var connection: RedisConnection?
    private var failedAttempts = 0
    private var nextAttempt: ContinuousClock.Instant?
    private var closed = false

    init(index: Int, configuration: RedisConfiguration, logger: Logger) {
        self.index = index
        self.configuration = configuration
        self.logger = logger
        self.queue = DispatchQueue(label: "newsbot.redis.connection.\(index)")
    }

    /// Runs one command on this slot's queue.
    func run(_ arguments: [[UInt8]]) async throws -> RedisValue {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisValue, any Error>) in
            queue.async {
                continuation.resume(with: Result { () throws(RedisError) -> RedisValue in
                    try self.execute(arguments)
                })
            }
        }
    }

    /// Drops the connection; later commands fail with `.clientClosed`.
    func close() {
        queue.async {
            self.closed = true
            self.connection = nil
        }
    }

    private func execute(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        guard !closed else { throw RedisError(.clientClosed, "the Redis client is closed") }
        let connection = try usableConnection()
        do {
            return try connection.command(arguments)
        } catch {
            if connection.isBroken {
                self.connection = nil
                logger.warning("redis connection broke", metadata: [
                    "redis.connection": "\(index)", "redis.error": "\(error.code.rawValue)",
                ])
            }
            throw error
        }
    }

    /// The current connection if the server has not closed it, else a new one. Waits out a
    /// pending backoff when it is shorter than the connect timeout, else fails fast.
    private func usableConnection() throws(RedisError) -> RedisConnection {
        if let connection {
            if !connection.isClosedByPeer { return connection }
            logger.info("redis connection closed by the server, reconnecting", metadata: ["redis.connection": "\(index)"])
            self.connection = nil
        }
        if let nextAttempt {
            let wait = nextAttempt - .now
            if wait > configuration.connectTimeout {
                throw RedisError(.connectionFailed, "Redis unreachable, next reconnect attempt in \(wait)")
            }
            if wait > .zero { sleep(for: wait) }
        }
        do {
            let fresh = try RedisConnection.connect(configuration)
            if failedAttempts > 0 {
                logger.info("redis reconnected", metadata: ["redis.connection": "\(index)", "redis.failed_attempts": "\(failedAttempts)"])
            }
            failedAttempts = 0
            nextAttempt = nil
            connection = fresh
            return fresh
        } catch {
            failedAttempts += 1
            let delay = configuration.reconnectDelay(afterFailures: failedAttempts, jitter: Double.random(in: 0.5...1))
            nextAttempt = .now + delay
            throw error
        }
    }

    private func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}

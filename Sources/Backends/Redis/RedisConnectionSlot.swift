import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pooled connection and the serial `DispatchQueue` that owns it. All blocking
/// calls of this connection run on that queue (Dispatch's threads, not Swift's cooperative
/// pool), and only there is the connection touched: that is why `@unchecked Sendable` is
/// safe. It (re)connects lazily, with exponential backoff after failed attempts.
///
/// Commands are pipelined: they queue up while the connection is busy, and the queue's thread
/// sends everything waiting in one write and reads the replies in order. Under load that is one
/// round trip and one thread wake-up for many commands (the chat front's claim, limiter and save
/// of many chats at once); idle, a command goes out alone at once.
final class RedisConnectionSlot: @unchecked Sendable {
    private struct Pending {
        var commands: [RedisCommand] = []
        var continuations: [CheckedContinuation<RedisValue, any Error>] = []
        /// A drain is scheduled or running on `queue`; new commands just join `commands`.
        var draining = false
    }

    let index: Int
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let queue: DispatchQueue
    private let pending = Mutex(Pending())

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

    /// True while commands are queued or being sent: the pool prefers an idle slot.
    var isBusy: Bool { pending.withLock { $0.draining } }

    /// Runs one command on this connection, pipelined with whatever else is waiting.
    func run(_ command: RedisCommand) async throws -> RedisValue {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisValue, any Error>) in
            let schedule = pending.withLock { pending in
                pending.commands.append(command)
                pending.continuations.append(continuation)
                if pending.draining { return false }
                pending.draining = true
                return true
            }
            if schedule { queue.async { self.drain() } }
        }
    }

    /// Drops the connection; later commands fail with `.clientClosed`.
    func close() {
        queue.async {
            self.closed = true
            self.connection = nil
        }
    }

    /// On `queue`: sends what is waiting, batch after batch, until nothing is.
    private func drain() {
        while true {
            let batch = pending.withLock { pending -> (commands: [RedisCommand], continuations: [CheckedContinuation<RedisValue, any Error>])? in
                guard !pending.commands.isEmpty else {
                    pending.draining = false
                    return nil
                }
                defer {
                    pending.commands.removeAll(keepingCapacity: true)
                    pending.continuations.removeAll(keepingCapacity: true)
                }
                return (pending.commands, pending.continuations)
            }
            guard let batch else { return }
            let results = execute(batch.commands)
            for (continuation, result) in zip(batch.continuations, results) {
                continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
    }

    private func execute(_ commands: [RedisCommand]) -> [Result<RedisValue, RedisError>] {
        guard !closed else { return commands.map { _ in .failure(RedisError(.clientClosed, "the Redis client is closed")) } }
        let connection: RedisConnection
        do {
            connection = try usableConnection()
        } catch {
            return commands.map { _ in .failure(error) }
        }
        let results = connection.pipeline(commands)
        if connection.isBroken {
            self.connection = nil
            let error = results.lazy.compactMap { result -> RedisError? in
                if case .failure(let error) = result, error.code != .server { return error }
                return nil
            }.first
            logger.warning("redis connection broke", metadata: [
                "redis.connection": "\(index)", "redis.error": "\(error?.code.rawValue ?? "unknown")",
            ])
        }
        return results
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

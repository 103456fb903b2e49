import Dispatch
import Logging
import NIOCore
import Synchronization

/// One pooled connection, kept on one NIO event loop: it (re)connects lazily, with exponential
/// backoff after failed attempts, and replaces a connection that broke or that the server closed.
///
/// Commands are pipelined: the ones issued while a write is being scheduled join it, so under load
/// many go out in one write and their replies come back in one read (the chat front's claim,
/// limiter and save of many chats at once); idle, a command goes out alone at once. Nothing
/// blocks a thread but hiredis' connect, which runs on `connector`, a Dispatch queue.
///
/// `pending` is shared with the callers' threads; every other mutable field is touched only on
/// `eventLoop`, hence `@unchecked Sendable`.
final class RedisConnectionSlot: @unchecked Sendable {
    private struct Pending {
        var commands: [RedisCommand] = []
        var continuations: [CheckedContinuation<RedisValue, any Error>] = []
        /// A flush is scheduled on the event loop; new commands just join `commands`.
        var flushScheduled = false

        func fail(with error: RedisError) {
            for continuation in continuations { continuation.resume(throwing: error) }
        }
    }

    let index: Int
    let eventLoop: any EventLoop
    private let configuration: RedisConfiguration
    private let logger: Logger
    private let connector: DispatchQueue
    private let pending = Mutex(Pending())
    /// Commands issued and not answered yet, read by the pool from any thread.
    private let unanswered = Atomic<Int>(0)

    // Touched only on `eventLoop`.
    private var connection: RedisConnection?
    private var connecting = false
    /// Commands waiting for the connection being opened, in order.
    private var parked = Pending()
    private var failedAttempts = 0
    private var nextAttempt: ContinuousClock.Instant?
    private var closed = false

    init(index: Int, configuration: RedisConfiguration, eventLoop: any EventLoop, logger: Logger) {
        self.index = index
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.connector = DispatchQueue(label: "newsbot.redis.connect.\(index)")
    }

    /// True while a command on this slot waits for its reply: the pool prefers an idle slot.
    var isBusy: Bool { unanswered.load(ordering: .relaxed) > 0 }

    /// Runs one command on this connection, pipelined with whatever else is waiting.
    func run(_ command: RedisCommand) async throws -> RedisValue {
        unanswered.add(1, ordering: .relaxed)
        defer { unanswered.subtract(1, ordering: .relaxed) }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisValue, any Error>) in
            let schedule = pending.withLock { pending in
                pending.commands.append(command)
                pending.continuations.append(continuation)
                if pending.flushScheduled { return false }
                pending.flushScheduled = true
                return true
            }
            if schedule { eventLoop.execute { self.flush() } }
        }
    }

    /// Drops the connection; commands still waiting for a reply and later ones fail with
    /// `.clientClosed`.
    func close() {
        eventLoop.execute {
            self.closed = true
            self.connection?.shutDown(.clientIsClosed)
            self.connection = nil
            self.failParked(.clientIsClosed)
        }
    }

    /// On the event loop: writes what is waiting, or parks it until a connection is open.
    private func flush() {
        let batch = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard !closed else { return batch.fail(with: .clientIsClosed) }
        if let connection {
            if connection.isUsable {
                connection.send(batch.commands, batch.continuations)
                return
            }
            retire(connection)
        }
        parked.commands += batch.commands
        parked.continuations += batch.continuations
        if !connecting { connect() }
    }

    /// Drops a connection that cannot take commands any more, saying why.
    private func retire(_ connection: RedisConnection) {
        if let failure = connection.failure, !connection.closedWhileIdle {
            logger.warning("redis connection broke", metadata: [
                "redis.connection": "\(index)", "redis.error": "\(failure.code.rawValue)",
            ])
        } else {
            logger.info("redis connection closed by the server, reconnecting", metadata: ["redis.connection": "\(index)"])
            connection.shutDown(RedisError(.connectionLost, "the server closed the connection"))
        }
        self.connection = nil
    }

    /// Opens a connection for the parked commands. Waits out a pending backoff when it is
    /// shorter than the connect timeout, else fails them fast.
    private func connect() {
        var wait = Duration.zero
        if let nextAttempt {
            wait = nextAttempt - .now
            if wait > configuration.connectTimeout {
                return failParked(RedisError(.connectionFailed, "Redis unreachable, next reconnect attempt in \(wait)"))
            }
        }
        connecting = true
        let configuration = configuration, eventLoop = eventLoop, connector = connector
        Task {
            if wait > .zero { try? await Task.sleep(for: wait) }
            let result: Result<RedisConnection, RedisError>
            do throws(RedisError) {
                result = .success(try await RedisConnection.open(configuration, on: eventLoop, connector: connector))
            } catch {
                result = .failure(error)
            }
            eventLoop.execute { self.opened(result) }
        }
    }

    /// On the event loop: the parked commands go out on the new connection, or fail with the
    /// reason it could not be opened.
    private func opened(_ result: Result<RedisConnection, RedisError>) {
        connecting = false
        switch result {
        case .success(let fresh):
            guard !closed else {
                fresh.shutDown(.clientIsClosed)
                return failParked(.clientIsClosed)
            }
            if failedAttempts > 0 {
                logger.info("redis reconnected", metadata: ["redis.connection": "\(index)", "redis.failed_attempts": "\(failedAttempts)"])
            }
            failedAttempts = 0
            nextAttempt = nil
            connection = fresh
            let batch = parked
            parked = Pending()
            fresh.send(batch.commands, batch.continuations)
        case .failure(let error):
            failedAttempts += 1
            let delay = configuration.reconnectDelay(afterFailures: failedAttempts, jitter: Double.random(in: 0.5...1))
            nextAttempt = .now + delay
            failParked(error)
        }
    }

    private func failParked(_ error: RedisError) {
        let batch = parked
        parked = Pending()
        batch.fail(with: error)
    }
}

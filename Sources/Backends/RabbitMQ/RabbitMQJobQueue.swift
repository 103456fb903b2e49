import Core
import Foundation
import Logging

/// `JobQueue` on RabbitMQ through librabbitmq.
///
/// Per queue name `NAME`: a durable work queue `NAME`, a dead-letter queue `NAME.dead`, and
/// delay queues `NAME.delay.<ms>` (one per delay bucket) whose `x-message-ttl` dead-letters
/// expired messages through the default exchange back to `NAME`. Messages are persistent
/// (delivery mode 2), published with publisher confirms, and carry their job id, attempt and
/// enqueue time in headers. `receive` polls with `basic.get` (manual ack); the receipt is the
/// connection generation plus the delivery tag. An unacked message returns to `NAME` when
/// this connection closes (the worker process died, or the connection broke).
///
/// One blocking AMQP connection, owned by a dedicated serial DispatchQueue: every librabbitmq
/// call runs there, never on Swift's cooperative pool. A broken connection is dropped and the
/// next operation reconnects (with backoff) and re-declares the queues it uses.
public final class RabbitMQJobQueue: JobQueue, @unchecked Sendable {
    // @unchecked Sendable: the mutable state below (`connection`, `generation`, `declared`)
    // is only touched from blocks running on `serial`, a serial queue, so it is never
    // accessed concurrently; `configuration` and `logger` are immutable.
    private let configuration: RabbitMQConfiguration
    private let logger: Logger
    private let serial = DispatchQueue(label: "newsbot.rabbitmq.connection")
    private var connection: AMQPConnection?
    /// Incremented per connection: delivery tags are only meaningful on their connection.
    private var generation: UInt64 = 0
    /// Queue names whose work, dead and delay queues are declared on the current connection.
    private var declared: Set<String> = []

    /// Delays are rounded up to one of these (milliseconds), so a handful of delay queues
    /// exists per work queue; longer delays use whole minutes.
    static let delayBucketsMilliseconds: [Int64] = [250, 1_000, 5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000]

    public init(configuration: RabbitMQConfiguration, logger: Logger = Logger(label: "newsbot.rabbitmq")) {
        self.configuration = configuration
        self.logger = logger
    }

    public convenience init(url: String, logger: Logger = Logger(label: "newsbot.rabbitmq")) throws(RabbitMQError) {
        self.init(configuration: try RabbitMQConfiguration(url: url), logger: logger)
    }

    /// Closes the connection; unacked jobs go back to their queues. A later call reconnects.
    public func shutdown() async {
        _ = try? await onConnectionQueue { () throws(RabbitMQError) in
            self.connection?.close()
            self.connection = nil
            self.declared = []
        }
    }

    // MARK: JobQueue

    public func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws {
        guard !payloads.isEmpty else { return }
        let now = Date()
        let messages = payloads.map { payload in
            (body: payload, headers: Self.headers(id: UUID().uuidString, attempt: 0, enqueuedAt: now))
        }
        try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            try connection.publish(to: Self.target(queue, delay: delay), messages: messages)
        }
    }

    public func receive(from queue: QueueName, max: Int, wait: Duration) async throws -> [ReceivedJob] {
        let deadline = ContinuousClock.now.advanced(by: wait)
        var pause = Duration.milliseconds(5)
        while true {
            let jobs = try await withConnection(retrying: true) { connection throws(RabbitMQError) in
                try self.ensureDeclared(queue, on: connection)
                var jobs: [ReceivedJob] = []
                while jobs.count < Swift.max(max, 1), let message = try connection.get(from: queue.rawValue) {
                    jobs.append(self.job(from: message, queue: queue))
                }
                return jobs
            }
            if !jobs.isEmpty || ContinuousClock.now >= deadline { return jobs }
            try await Task.sleep(for: Swift.min(pause, deadline - ContinuousClock.now))
            pause = Swift.min(pause * 2, .milliseconds(100))
        }
    }

    /// A receipt from an earlier connection is ignored: the broker already returned that
    /// message to its queue when the connection closed, so it will be delivered again.
    public func ack(_ job: ReceivedJob) async throws {
        try await withHeldMessage(job) { connection, tag throws(RabbitMQError) in
            try connection.ack(tag)
        }
    }

    /// Publishes a copy with the updated attempt to the delay queue (or straight to the work
    /// queue for no delay), then acks the original. A crash in between delivers it twice
    /// (at-least-once); a stale receipt is ignored (the original comes back by itself).
    public func retry(_ job: ReceivedJob, after delay: Duration, countsAsAttempt: Bool) async throws {
        let attempt = countsAsAttempt ? job.attempt + 1 : job.attempt
        let headers = Self.headers(id: job.id, attempt: attempt, enqueuedAt: job.enqueuedAt)
        try await withHeldMessage(job) { connection, tag throws(RabbitMQError) in
            try self.ensureDeclared(job.queue, on: connection)
            try connection.publish(to: Self.target(job.queue, delay: delay), messages: [(job.payload, headers)])
            try connection.ack(tag)
        }
    }

    /// Publishes to `NAME.dead` with reason and failure time, then acks the original.
    public func deadLetter(_ job: ReceivedJob, reason: String) async throws {
        let headers = Self.headers(id: job.id, attempt: job.attempt + 1, enqueuedAt: job.enqueuedAt)
            + [("x-newsbot-reason", .string(reason)), ("x-newsbot-failed-at", .int(Self.milliseconds(Date())))]
        try await withHeldMessage(job) { connection, tag throws(RabbitMQError) in
            try self.ensureDeclared(job.queue, on: connection)
            try connection.publish(to: Self.deadQueue(job.queue), messages: [(job.payload, headers)])
            try connection.ack(tag)
        }
    }

    /// Message counts from passive queue.declare. `inFlight` is always 0: the broker's
    /// declare-ok reports only ready messages, and counting unacked ones would need the
    /// management HTTP API, which this backend does not use.
    public func stats(_ queue: QueueName) async throws -> QueueStats {
        try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            let ready = try connection.declareQueue(queue.rawValue, passive: true)
            let dead = try connection.declareQueue(Self.deadQueue(queue), passive: true)
            var delayed = 0
            for bucket in Self.delayBucketsMilliseconds {
                delayed += try connection.declareQueue(Self.delayQueue(queue, milliseconds: bucket), passive: true)
            }
            return QueueStats(ready: ready, inFlight: 0, delayed: delayed, deadLettered: dead)
        }
    }

    /// Reads up to `limit` messages of `NAME.dead` with basic.get, then nacks them with
    /// requeue so they stay there.
    public func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        return try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            var letters: [DeadLetter] = []
            var lastTag: UInt64?
            while letters.count < limit, let message = try connection.get(from: Self.deadQueue(queue)) {
                lastTag = message.deliveryTag
                let headers = message.headers
                letters.append(DeadLetter(queue: queue,
                                          id: Self.string(headers["x-newsbot-job-id"]) ?? "",
                                          payload: message.body,
                                          attempt: Self.int(headers["x-newsbot-attempt"]) ?? 0,
                                          reason: Self.string(headers["x-newsbot-reason"]) ?? "",
                                          failedAt: Self.date(headers["x-newsbot-failed-at"]) ?? Date()))
            }
            if let lastTag { try connection.nackRequeueAll(upTo: lastTag) }
            return letters
        }
    }

    // MARK: connection handling

    /// Runs `body` on the connection's serial queue.
    private func onConnectionQueue<T: Sendable>(_ body: @escaping @Sendable () throws(RabbitMQError) -> T) async throws(RabbitMQError) -> T {
        let result: Result<T, RabbitMQError> = await withCheckedContinuation { continuation in
            serial.async {
                do throws(RabbitMQError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs `body` with a live connection (connecting first if needed). When the connection
    /// breaks during `body` it is dropped; with `retrying` the body runs once more on a new one.
    private func withConnection<T: Sendable>(
        retrying: Bool,
        _ body: @escaping @Sendable (AMQPConnection) throws(RabbitMQError) -> T
    ) async throws(RabbitMQError) -> T {
        try await onConnectionQueue { () throws(RabbitMQError) -> T in
            var tries = retrying ? 2 : 1
            while true {
                tries -= 1
                let connection = try self.liveConnection()
                do throws(RabbitMQError) {
                    return try body(connection)
                } catch {
                    if connection.isBroken { self.drop(connection, because: error) }
                    if tries <= 0 || !connection.isBroken { throw error }
                }
            }
        }
    }

    /// Runs `body` with the delivery tag of a received job when its receipt belongs to the
    /// current connection; otherwise does nothing (the message is back in its queue).
    private func withHeldMessage(
        _ job: ReceivedJob,
        _ body: @escaping @Sendable (AMQPConnection, UInt64) throws(RabbitMQError) -> Void
    ) async throws(RabbitMQError) {
        let parts = job.receipt.split(separator: ":")
        guard parts.count == 2, let jobGeneration = UInt64(parts[0]), let tag = UInt64(parts[1]) else {
            throw RabbitMQError(.invalidConfiguration, "not a RabbitMQ receipt")
        }
        try await onConnectionQueue { () throws(RabbitMQError) in
            guard let connection = self.connection, !connection.isBroken, self.generation == jobGeneration else {
                self.logger.debug("stale receipt: the job is redelivered", metadata: ["queue": "\(job.queue)"])
                return
            }
            do throws(RabbitMQError) {
                try body(connection, tag)
            } catch {
                if connection.isBroken { self.drop(connection, because: error) }
                throw error
            }
        }
    }

    /// The current connection, or a new one: up to `connectAttempts` tries with exponential
    /// backoff (runs on `serial`, whose thread may block).
    private func liveConnection() throws(RabbitMQError) -> AMQPConnection {
        if let connection, !connection.isBroken { return connection }
        var pause = 0.1
        var attempt = 0
        while true {
            attempt += 1
            do throws(RabbitMQError) {
                let fresh = try AMQPConnection.connect(configuration)
                connection = fresh
                generation += 1
                declared = []
                if attempt > 1 { logger.info("reconnected to RabbitMQ", metadata: ["attempts": "\(attempt)"]) }
                return fresh
            } catch {
                if attempt >= Swift.max(configuration.connectAttempts, 1) { throw error }
                logger.warning("RabbitMQ connect failed; retrying", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: pause)
                pause = Swift.min(pause * 2, 2)
            }
        }
    }

    private func drop(_ broken: AMQPConnection, because error: RabbitMQError) {
        guard connection === broken else { return }
        logger.warning("RabbitMQ connection dropped", metadata: ["error": "\(error)"])
        broken.close()
        connection = nil
        declared = []
    }

    /// Declares `NAME`, `NAME.dead` and every `NAME.delay.<ms>` once per connection.
    private func ensureDeclared(_ queue: QueueName, on connection: AMQPConnection) throws(RabbitMQError) {
        guard !declared.contains(queue.rawValue) else { return }
        try connection.declareQueue(queue.rawValue)
        try connection.declareQueue(Self.deadQueue(queue))
        for bucket in Self.delayBucketsMilliseconds {
            try connection.declareQueue(Self.delayQueue(queue, milliseconds: bucket), arguments: [
                ("x-message-ttl", .int(bucket)),
                ("x-dead-letter-exchange", .string("")),
                ("x-dead-letter-routing-key", .string(queue.rawValue)),
            ])
        }
        declared.insert(queue.rawValue)
    }

    // MARK: naming and headers

    static func deadQueue(_ queue: QueueName) -> String { "\(queue.rawValue).dead" }

    static func delayQueue(_ queue: QueueName, milliseconds: Int64) -> String {
        "\(queue.rawValue).delay.\(milliseconds)"
    }

    /// The smallest bucket at least as long as `delay`; the largest bucket beyond all of them.
    static func bucket(for delay: Duration) -> Int64? {
        let (seconds, attoseconds) = delay.components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        guard milliseconds > 0 else { return nil }
        return delayBucketsMilliseconds.first { $0 >= milliseconds } ?? delayBucketsMilliseconds.last
    }

    /// Where a message with this delay is published.
    static func target(_ queue: QueueName, delay: Duration) -> String {
        guard let bucket = bucket(for: delay) else { return queue.rawValue }
        return delayQueue(queue, milliseconds: bucket)
    }

    static func headers(id: String, attempt: Int, enqueuedAt: Date) -> [(String, AMQPField)] {
        [("x-newsbot-job-id", .string(id)),
         ("x-newsbot-attempt", .int(Int64(attempt))),
         ("x-newsbot-enqueued-at", .int(milliseconds(enqueuedAt)))]
    }

    private func job(from message: AMQPMessage, queue: QueueName) -> ReceivedJob {
        ReceivedJob(queue: queue,
                    id: Self.string(message.headers["x-newsbot-job-id"]) ?? "amqp-\(generation)-\(message.deliveryTag)",
                    payload: message.body,
                    attempt: Self.int(message.headers["x-newsbot-attempt"]) ?? 0,
                    enqueuedAt: Self.date(message.headers["x-newsbot-enqueued-at"]) ?? Date(),
                    receipt: "\(generation):\(message.deliveryTag)")
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }

    static func string(_ field: AMQPField?) -> String? {
        if case .string(let text) = field { return text }
        return nil
    }

    static func int(_ field: AMQPField?) -> Int? {
        if case .int(let number) = field { return Int(number) }
        return nil
    }

    static func date(_ field: AMQPField?) -> Date? {
        if case .int(let milliseconds) = field { return Date(timeIntervalSince1970: Double(milliseconds) / 1_000) }
        return nil
    }
}

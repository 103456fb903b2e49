import Core
import Foundation
import Logging

/// `JobQueue` on RabbitMQ through librabbitmq.
///
/// Per queue name `NAME`: a durable work queue `NAME`, a dead-letter queue `NAME.dead`, and
/// delay queues `NAME.delay.<ms>` (one per `RabbitMQConfiguration.delayBuckets` entry) whose
/// `x-message-ttl` dead-letters expired messages through the default exchange back to `NAME`.
/// One TTL per queue, not per message: RabbitMQ expires messages only at the head of a queue,
/// so mixed per-message TTLs would hold short delays behind long ones. Messages are persistent
/// (delivery mode 2), published mandatory with publisher confirms, and carry their job id,
/// attempt and enqueue time in headers. An unacked message returns to `NAME` when this
/// connection closes (the worker process died, or the connection broke).
///
/// `receive` pulls with `basic.get` and manual ack: the broker hands over exactly the jobs a
/// worker asks for, so what a worker holds unacked is bounded by its own `max` — the job
/// `basic.qos` prefetch does for push consumers — and no job waits in the buffer of a busy
/// worker while another is idle. The price is polling an empty queue (5 → 100 ms backoff).
/// The receipt is the connection generation plus the delivery tag.
///
/// One blocking AMQP connection, owned by a dedicated serial DispatchQueue: every librabbitmq
/// call runs there, never on Swift's cooperative pool. A broken connection is dropped and the
/// next operation reconnects (with backoff) and re-declares the queues it uses.
public final class RabbitMQJobQueue: JobQueue, @unchecked Sendable {
    // @unchecked Sendable: the mutable state below (`connection`, `generation`, `declared`, `held`)
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
    /// Delivery tags this handle received per queue and has not acked, retried or dead-lettered
    /// yet, on the current connection: its in-flight jobs, and the check that a receipt is
    /// still good (acking a tag twice would make the broker close the channel).
    private var held: [String: Set<UInt64>] = [:]
    /// `configuration.delayBuckets` in milliseconds, ascending.
    private let buckets: [Int64]

    public init(configuration: RabbitMQConfiguration, logger: Logger = Logger(label: "newsbot.rabbitmq")) {
        self.configuration = configuration
        self.logger = logger
        let buckets = Set(configuration.delayBuckets.map(Self.milliseconds).filter { $0 > 0 }).sorted()
        self.buckets = buckets.isEmpty ? [1_000] : buckets
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
            self.held = [:]
        }
    }

    /// Connects if not connected (for `/readyz`): throws when the broker cannot be reached.
    public func checkConnection() async throws {
        try await withConnection(retrying: true) { _ throws(RabbitMQError) in }
    }

    // MARK: JobQueue

    public func push(_ payloads: [Data], to queue: QueueName, delay: Duration) async throws {
        guard !payloads.isEmpty else { return }
        let now = Date()
        let due = dueDate(after: delay, from: now)
        let messages = payloads.map { payload in
            (body: payload, headers: Self.headers(id: UUID().uuidString, attempt: 0, enqueuedAt: now, due: due))
        }
        try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            try connection.publish(to: self.target(queue, delay: delay), messages: messages)
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
                    if let due = Self.date(message.headers[Self.dueHeader]), due > Date() {
                        // Came round the longest delay queue before its time: another round.
                        let remaining = Duration.milliseconds(Self.milliseconds(due) - Self.milliseconds(Date()))
                        try connection.publish(to: self.target(queue, delay: remaining),
                                               messages: [(message.body, Self.ownHeaders(message.headers))])
                        try connection.ack(message.deliveryTag)
                        continue
                    }
                    self.held[queue.rawValue, default: []].insert(message.deliveryTag)
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
    /// message to its queue when the connection closed, so it will be delivered again. So is
    /// one already settled.
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
        let headers = Self.headers(id: job.id, attempt: attempt, enqueuedAt: job.enqueuedAt,
                                   due: dueDate(after: delay, from: Date()))
        try await withHeldMessage(job) { connection, tag throws(RabbitMQError) in
            try self.ensureDeclared(job.queue, on: connection)
            try connection.publish(to: self.target(job.queue, delay: delay), messages: [(job.payload, headers)])
            try connection.ack(tag)
        }
    }

    /// Publishes to `NAME.dead` with reason and failure time, then acks the original. The
    /// reason is often an error text: secrets in it (a bot token in a URL) are masked first.
    public func deadLetter(_ job: ReceivedJob, reason: String) async throws {
        let headers = Self.headers(id: job.id, attempt: job.attempt + 1, enqueuedAt: job.enqueuedAt, due: nil)
            + [("x-newsbot-reason", .string(Redaction.redact(reason))), ("x-newsbot-failed-at", .int(Self.milliseconds(Date())))]
        try await withHeldMessage(job) { connection, tag throws(RabbitMQError) in
            try self.ensureDeclared(job.queue, on: connection)
            try connection.publish(to: Self.deadQueue(job.queue), messages: [(job.payload, headers)])
            try connection.ack(tag)
        }
    }

    /// Ready, delayed and dead counts from passive queue.declare (the broker's own counts).
    /// `inFlight` is the jobs *this handle* holds unacked: AMQP reports no unacked counts (only
    /// the management HTTP API does, which this backend does not use), so other processes'
    /// in-flight jobs are not in it.
    public func stats(_ queue: QueueName) async throws -> QueueStats {
        try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            let ready = try connection.declareQueue(queue.rawValue, passive: true)
            let dead = try connection.declareQueue(Self.deadQueue(queue), passive: true)
            var delayed = 0
            for bucket in self.buckets {
                delayed += try connection.declareQueue(Self.delayQueue(queue, milliseconds: bucket), passive: true)
            }
            return QueueStats(ready: ready, inFlight: self.held[queue.rawValue]?.count ?? 0, delayed: delayed,
                              deadLettered: dead)
        }
    }

    /// Reads up to `limit` messages of `NAME.dead` with basic.get, then nacks each with
    /// requeue so they stay there (a reader in another process meanwhile sees fewer).
    public func deadLetters(_ queue: QueueName, limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        return try await withConnection(retrying: true) { connection throws(RabbitMQError) in
            try self.ensureDeclared(queue, on: connection)
            var letters: [DeadLetter] = []
            var tags: [UInt64] = []
            while letters.count < limit, let message = try connection.get(from: Self.deadQueue(queue)) {
                tags.append(message.deliveryTag)
                let headers = message.headers
                letters.append(DeadLetter(queue: queue,
                                          id: Self.string(headers["x-newsbot-job-id"]) ?? "",
                                          payload: message.body,
                                          attempt: Self.int(headers["x-newsbot-attempt"]) ?? 0,
                                          reason: Self.string(headers["x-newsbot-reason"]) ?? "",
                                          failedAt: Self.date(headers["x-newsbot-failed-at"]) ?? Date()))
            }
            for tag in tags { try connection.requeue(tag) }
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
            guard let connection = self.connection, !connection.isBroken, self.generation == jobGeneration,
                  self.held[job.queue.rawValue]?.contains(tag) == true else {
                self.logger.debug("stale or settled receipt ignored", metadata: ["queue": "\(job.queue)"])
                return
            }
            do throws(RabbitMQError) {
                try body(connection, tag)
                self.held[job.queue.rawValue]?.remove(tag)
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
                held = [:]
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
        held = [:]
    }

    /// Declares `NAME`, `NAME.dead` and every `NAME.delay.<ms>` once per connection.
    private func ensureDeclared(_ queue: QueueName, on connection: AMQPConnection) throws(RabbitMQError) {
        guard !declared.contains(queue.rawValue) else { return }
        try connection.declareQueue(queue.rawValue)
        try connection.declareQueue(Self.deadQueue(queue))
        for bucket in buckets {
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

    /// The shortest bucket at least as long as `delay`; the longest beyond all of them (the
    /// message then carries its due time and goes round again). Nil for no delay.
    func bucket(for delay: Duration) -> Int64? {
        let milliseconds = Self.milliseconds(delay)
        guard milliseconds > 0 else { return nil }
        return buckets.first { $0 >= milliseconds } ?? buckets.last
    }

    /// Where a message with this delay is published.
    func target(_ queue: QueueName, delay: Duration) -> String {
        guard let bucket = bucket(for: delay) else { return queue.rawValue }
        return Self.delayQueue(queue, milliseconds: bucket)
    }

    /// When a message delayed past the longest bucket is due; nil when one bucket covers it.
    func dueDate(after delay: Duration, from now: Date) -> Date? {
        guard let longest = buckets.last, Self.milliseconds(delay) > longest else { return nil }
        return now.addingTimeInterval(delay.timeInterval)
    }

    static let dueHeader = "x-newsbot-due"

    static func headers(id: String, attempt: Int, enqueuedAt: Date, due: Date?) -> [(String, AMQPField)] {
        [("x-newsbot-job-id", .string(id)),
         ("x-newsbot-attempt", .int(Int64(attempt))),
         ("x-newsbot-enqueued-at", .int(milliseconds(enqueuedAt)))]
            + (due.map { [(dueHeader, .int(milliseconds($0)))] } ?? [])
    }

    /// This backend's headers of a received message, to publish it again unchanged (the
    /// broker's own, like `x-death`, stay behind).
    static func ownHeaders(_ headers: [String: AMQPField]) -> [(String, AMQPField)] {
        headers.filter { $0.key.hasPrefix("x-newsbot-") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
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

    /// Whole milliseconds, rounded up so a delay is never shortened.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }

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

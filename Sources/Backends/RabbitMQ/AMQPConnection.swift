import CRabbitMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One blocking librabbitmq connection with one channel in publisher-confirm mode. Not
/// thread-safe and not Sendable: `RabbitMQJobQueue` confines it to its serial DispatchQueue,
/// so blocking calls never run on Swift's cooperative pool.
final class AMQPConnection {
    static let channel: amqp_channel_t = 1

    private let state: amqp_connection_state_t
    private let rpcTimeout: Duration
    /// Publisher-confirm sequence number of the last publish on this channel.
    private var publishSequence: UInt64 = 0
    /// Set once an operation failed: the channel (or the whole connection) is unusable.
    private(set) var isBroken = false
    private var isClosed = false

    private init(state: amqp_connection_state_t, rpcTimeout: Duration) {
        self.state = state
        self.rpcTimeout = rpcTimeout
    }

    deinit {
        amqp_destroy_connection(state)
    }

    /// Opens TCP, logs in (handshake and RPC timeouts set first, so a stopped broker fails
    /// fast instead of hanging), opens channel 1 and puts it in confirm mode.
    static func connect(_ configuration: RabbitMQConfiguration) throws(RabbitMQError) -> AMQPConnection {
        guard let state = amqp_new_connection() else {
            throw RabbitMQError(.connectionFailed, "cannot allocate an AMQP connection")
        }
        let connection = AMQPConnection(state: state, rpcTimeout: configuration.rpcTimeout)
        guard let socket = amqp_tcp_socket_new(state) else {
            throw RabbitMQError(.connectionFailed, "cannot create a TCP socket")
        }
        var connectTimeout = timeval(configuration.connectTimeout)
        let opened = amqp_socket_open_noblock(socket, configuration.host, Int32(configuration.port), &connectTimeout)
        guard opened == AMQP_STATUS_OK.rawValue else {
            throw RabbitMQError(.connectionFailed,
                                "connect to \(configuration.host):\(configuration.port) failed: \(statusText(opened))")
        }
        var rpc = timeval(configuration.rpcTimeout)
        _ = amqp_set_handshake_timeout(state, &rpc)
        _ = amqp_set_rpc_timeout(state, &rpc)
        let heartbeat = Int32(clamping: configuration.heartbeat.components.seconds)
        let login = configuration.virtualHost.withCString { vhost in
            configuration.username.withCString { user in
                configuration.password.withCString { password in
                    newsbot_amqp_login_plain(state, vhost, 0, 131_072, heartbeat, user, password)
                }
            }
        }
        if login.reply_type != AMQP_RESPONSE_NORMAL {
            // The broker's text ("ACCESS_REFUSED - Login was refused…") never contains the password.
            throw RabbitMQError(.connectionFailed, "login failed: \(replyText(login))")
        }
        _ = amqp_channel_open(state, channel)
        try connection.check(amqp_get_rpc_reply(state), "channel.open")
        _ = amqp_confirm_select(state, channel)
        try connection.check(amqp_get_rpc_reply(state), "confirm.select")
        return connection
    }

    /// Closes channel and connection politely (unacked messages go back to their queues).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        if !isBroken {
            _ = amqp_channel_close(state, Self.channel, AMQP_REPLY_SUCCESS)
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        }
        isBroken = true
    }

    /// Declares a durable queue (`passive`: only looks it up) and returns its ready-message count.
    @discardableResult
    func declareQueue(_ name: String, passive: Bool = false,
                      arguments: [(String, AMQPField)] = []) throws(RabbitMQError) -> Int {
        try usable()
        let arena = AMQPArena()
        let ok = amqp_queue_declare(state, Self.channel, arena.bytes(name), passive ? 1 : 0, 1, 0, 0,
                                    arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "queue.declare \(name)")
        guard let ok else { throw fail(.connectionLost, "queue.declare \(name) returned nothing") }
        return Int(ok.pointee.message_count)
    }

    /// Publishes persistent messages to the default exchange with routing key `queue`, then
    /// waits for the broker to confirm all of them. Mandatory: a message no queue took (the
    /// queue was deleted behind this connection's back) comes back as basic.return, and the
    /// publish fails instead of losing it silently.
    func publish(to queue: String, messages: [(body: Data, headers: [(String, AMQPField)])]) throws(RabbitMQError) {
        try usable()
        guard !messages.isEmpty else { return }
        let arena = AMQPArena()
        let exchange = amqp_bytes_t(len: 0, bytes: nil)
        let routingKey = arena.bytes(queue)
        let contentType = arena.bytes("application/octet-stream")
        for message in messages {
            var properties = amqp_basic_properties_t()
            properties._flags = newsbot_amqp_persistent_publish_flags()
            properties.delivery_mode = 2
            properties.content_type = contentType
            properties.headers = arena.table(message.headers)
            let status = amqp_basic_publish(state, Self.channel, exchange, routingKey, 1, 0, &properties,
                                            arena.bytes(message.body))
            guard status == AMQP_STATUS_OK.rawValue else {
                throw fail(.connectionLost, "basic.publish failed: \(statusText(status))")
            }
            publishSequence += 1
        }
        try waitForConfirms(upTo: publishSequence)
    }

    /// rabbitmq-c 0.11 has no `amqp_publisher_confirm_wait`: read frames until basic.ack
    /// (or basic.nack) covers `sequence`. A basic.return arrives before the ack of its
    /// message; the confirms are still read so the channel stays in step, then the publish
    /// fails and the connection is dropped (the next one re-declares the queues).
    private func waitForConfirms(upTo sequence: UInt64) throws(RabbitMQError) {
        var confirmed: UInt64 = 0
        var returned = false
        while confirmed < sequence {
            var frame = amqp_frame_t()
            var timeout = timeval(rpcTimeout)
            let status = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
            if status == AMQP_STATUS_TIMEOUT.rawValue {
                throw fail(.timeout, "no publisher confirm within \(rpcTimeout)")
            }
            guard status == AMQP_STATUS_OK.rawValue else {
                throw fail(.connectionLost, "waiting for a publisher confirm: \(statusText(status))")
            }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            let method = frame.payload.method
            if method.id == newsbot_amqp_method_basic_ack() {
                let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                confirmed = Swift.max(confirmed, ack.delivery_tag)
            } else if method.id == newsbot_amqp_method_basic_return() {
                returned = true
            } else if method.id == newsbot_amqp_method_basic_nack() {
                throw fail(.server, "the broker nacked a published message")
            } else if method.id == newsbot_amqp_method_channel_close() || method.id == newsbot_amqp_method_connection_close() {
                throw fail(.server, "the broker closed the channel while publishing: \(closeText(method))")
            }
        }
        if returned { throw fail(.server, "a published message was unroutable (its queue is gone)") }
    }

    /// basic.get without auto-ack: nil when the queue is empty.
    func get(from queue: String) throws(RabbitMQError) -> AMQPMessage? {
        try usable()
        let arena = AMQPArena()
        let reply = amqp_basic_get(state, Self.channel, arena.bytes(queue), 0)
        try check(reply, "basic.get \(queue)")
        if reply.reply.id == newsbot_amqp_method_basic_get_empty() { return nil }
        guard reply.reply.id == newsbot_amqp_method_basic_get_ok(), let decoded = reply.reply.decoded else {
            throw fail(.connectionLost, "unexpected reply to basic.get")
        }
        let getOK = decoded.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        var message = amqp_message_t()
        let read = amqp_read_message(state, Self.channel, &message, 0)
        try check(read, "reading a message from \(queue)")
        defer { amqp_destroy_message(&message) }
        let body = message.body.len > 0 ? Data(bytes: message.body.bytes, count: message.body.len) : Data()
        var headers: [String: AMQPField] = [:]
        if message.properties._flags & newsbot_amqp_headers_flag() != 0 {
            let table = message.properties.headers
            for index in 0..<Int(table.num_entries) {
                let entry = table.entries[index]
                guard let key = string(entry.key) else { continue }
                if let value = field(entry.value) { headers[key] = value }
            }
        }
        return AMQPMessage(deliveryTag: getOK.delivery_tag, redelivered: getOK.redelivered != 0,
                           body: body, headers: headers)
    }

    func ack(_ deliveryTag: UInt64) throws(RabbitMQError) {
        try usable()
        let status = amqp_basic_ack(state, Self.channel, deliveryTag, 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw fail(.connectionLost, "basic.ack failed: \(statusText(status))") }
    }

    /// Returns this one unacked message to its queue (not `multiple`: other messages this
    /// channel holds belong to jobs still being worked on).
    func requeue(_ deliveryTag: UInt64) throws(RabbitMQError) {
        try usable()
        let status = amqp_basic_nack(state, Self.channel, deliveryTag, 0, 1)
        guard status == AMQP_STATUS_OK.rawValue else { throw fail(.connectionLost, "basic.nack failed: \(statusText(status))") }
    }

    // MARK: errors

    private func usable() throws(RabbitMQError) {
        if isBroken { throw RabbitMQError(.connectionLost, "connection already broken") }
    }

    private func fail(_ kind: RabbitMQError.Kind, _ message: String) -> RabbitMQError {
        isBroken = true
        return RabbitMQError(kind, message)
    }

    private func check(_ reply: amqp_rpc_reply_t, _ what: String) throws(RabbitMQError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            throw fail(.timeout, "\(what): no reply within \(rpcTimeout)")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            // A channel or connection close: either way this connection is done.
            throw fail(.server, "\(what): \(replyText(reply))")
        default:
            throw fail(.connectionLost, "\(what): \(replyText(reply))")
        }
    }
}

private func statusText(_ status: Int32) -> String {
    guard let text = amqp_error_string2(status) else { return "status \(status)" }
    return String(cString: text)
}

private func replyText(_ reply: amqp_rpc_reply_t) -> String {
    switch reply.reply_type {
    case AMQP_RESPONSE_NORMAL: return "ok"
    case AMQP_RESPONSE_NONE: return "missing RPC reply"
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return statusText(reply.library_error)
    default: return closeText(reply.reply)
    }
}

private func closeText(_ method: amqp_method_t) -> String {
    guard let decoded = method.decoded else { return "server error" }
    if method.id == newsbot_amqp_method_connection_close() {
        let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
        return "connection closed \(close.reply_code) \(string(close.reply_text) ?? "")"
    }
    if method.id == newsbot_amqp_method_channel_close() {
        let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
        return "channel closed \(close.reply_code) \(string(close.reply_text) ?? "")"
    }
    return "server method \(method.id)"
}

private func string(_ bytes: amqp_bytes_t) -> String? {
    guard let pointer = bytes.bytes else { return bytes.len == 0 ? "" : nil }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
}

private func field(_ value: amqp_field_value_t) -> AMQPField? {
    switch Character(UnicodeScalar(value.kind)) {
    case "S", "x": return string(value.value.bytes).map(AMQPField.string)
    case "l": return .int(value.value.i64)
    case "L": return .int(Int64(truncatingIfNeeded: value.value.u64))
    case "I": return .int(Int64(value.value.i32))
    case "i": return .int(Int64(value.value.u32))
    case "s": return .int(Int64(value.value.i16))
    case "u": return .int(Int64(value.value.u16))
    case "b": return .int(Int64(value.value.i8))
    case "B": return .int(Int64(value.value.u8))
    default: return nil
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var micros = attoseconds / 1_000_000_000_000
        if micros == 0 && seconds == 0 { micros = 1 }
        self.init(tv_sec: Int(seconds), tv_usec: Int(micros))
    }
}

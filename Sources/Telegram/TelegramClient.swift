import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// `TelegramAPI` over HTTP: JSON bodies, one timeout per request (long polls get their poll
/// time on top), and every failure mapped to a `TelegramError`. `sendMessage` — the send
/// loop's call, thousands a second — goes through a pipelined keep-alive client of its own
/// (`PipelinedHTTPClient`); every other method through AsyncHTTPClient. The token lives only
/// in the private URL prefixes; nothing here logs or describes it.
public struct TelegramClient: TelegramAPI, CustomStringConvertible, CustomReflectable {
    public let configuration: Configuration
    private let httpClient: HTTPClient
    /// nil when `sendConnections` is 0 or the base URL is not plain http(s).
    private let sender: PipelinedHTTPClient?
    private let logger: Logger
    /// `<base>/bot<token>/`: secret, never logged.
    private let methodURLPrefix: String
    /// `/bot<token>/sendMessage`, after the sender's base path: secret, never logged.
    private let sendMessagePath: String

    /// - Parameter httpClient: defaults to the process-wide shared client. Pass a client
    ///   with a larger connection pool for high-throughput delivery.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "newsbot.telegram")) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.methodURLPrefix = "\(base)/bot\(configuration.token.rawValue)/"
        self.sendMessagePath = "/bot\(configuration.token.rawValue)/sendMessage"
        self.sender = PipelinedHTTPClient.Configuration(
            baseURL: configuration.baseURL, connections: configuration.sendConnections,
            connectTimeout: configuration.requestTimeout, maxResponseBytes: configuration.maxResponseBytes
        ).flatMap { configuration.sendConnections > 0 ? try? PipelinedHTTPClient(configuration: $0) : nil }
    }

    /// A client for a sender that keeps `connections` requests in flight: HTTP/1.1 keep-alive
    /// connections, one per concurrent send, so sends never queue for the shared client's 8.
    /// Shut it down (`shutdown()`) when the sender stops.
    public static func makeHTTPClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func sendMessage(_ request: SendMessageRequest) async throws -> Message {
        let (status, body) = try await exchange("sendMessage", json: Self.json(request))
        return try unwrap(try? Self.decoder.decode(TelegramResponse<Message>.self, from: body), status: status, method: "sendMessage")
    }

    public func sendMessageDiscardingResult(_ request: SendMessageRequest) async throws {
        let (status, body) = try await exchange("sendMessage", json: Self.json(request))
        // Telegram (and the simulator) answer success as `{"ok":true,"result":{…`: nothing more to read.
        if Self.isSuccessObject(body) { return }
        _ = try unwrap(try? Self.decoder.decode(TelegramResponse<DiscardedResult>.self, from: body),
                       status: status, method: "sendMessage")
    }

    /// Whether `body` begins `{"ok":true,"result":{` — a successful answer with an object result.
    static func isSuccessObject(_ body: ByteBuffer) -> Bool {
        body.withUnsafeReadableBytes { bytes in
            var scanner = JSONScanner(bytes)
            return scanner.literal(#"{"ok":true,"result":{"#)
        }
    }

    public func editMessageText(_ request: EditMessageTextRequest) async throws -> Message {
        try await call("editMessageText", body: request)
    }

    public func answerCallbackQuery(_ request: AnswerCallbackQueryRequest) async throws {
        let _: Bool = try await call("answerCallbackQuery", body: request)
    }

    public func getMe() async throws -> User {
        try await call("getMe", body: nil as SendMessageRequest?)
    }

    public func getUpdates(_ request: GetUpdatesRequest) async throws -> [Update] {
        let poll = Duration.seconds(max(request.timeout ?? 0, 0))
        return try await call("getUpdates", body: request, timeout: configuration.requestTimeout + poll)
    }

    public func setWebhook(_ request: SetWebhookRequest) async throws {
        let _: Bool = try await call("setWebhook", body: request)
    }

    public func deleteWebhook(dropPendingUpdates: Bool) async throws {
        let _: Bool = try await call("deleteWebhook", body: DeleteWebhookRequest(dropPendingUpdates: dropPendingUpdates))
    }

    // MARK: transport

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    /// Performs one call and unwraps the envelope.
    private func call<Body: Encodable, Result: Decodable>(
        _ method: String, body: Body?, timeout: Duration? = nil
    ) async throws -> Result {
        try await call(method, json: try body.map { try Self.encode($0, method: method) }, timeout: timeout)
    }

    private static func encode(_ body: some Encodable, method: String) throws -> ByteBuffer {
        do {
            return ByteBuffer(data: try encoder.encode(body))
        } catch {
            throw TelegramError.badRequest("cannot encode \(method) parameters")
        }
    }

    /// `sendMessage` parameters as JSON, the keys `JSONEncoder` would write (the replies' inline
    /// keyboards included: the encoder was a few per cent of the chat front's CPU).
    static func json(_ request: SendMessageRequest) -> ByteBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(request.text.utf8.count + request.text.utf8.count / 8 + 128)
        out += #"{"chat_id":"#.utf8
        JSONStringWriter.append(request.chatID, to: &out)
        out += #","text":"#.utf8
        JSONStringWriter.append(request.text, to: &out)
        if let parseMode = request.parseMode {
            out += #","parse_mode":"#.utf8
            JSONStringWriter.append(parseMode.rawValue, to: &out)
        }
        if let options = request.linkPreviewOptions {
            var separator = ""
            out += #","link_preview_options":{"#.utf8
            if let isDisabled = options.isDisabled {
                out += #""is_disabled":"#.utf8
                out += (isDisabled ? "true" : "false").utf8
                separator = ","
            }
            if let url = options.url {
                out += (separator + #""url":"#).utf8
                JSONStringWriter.append(url, to: &out)
            }
            out += "}".utf8
        }
        if let disable = request.disableWebPagePreview {
            out += (#","disable_web_page_preview":"# + (disable ? "true" : "false")).utf8
        }
        if let disable = request.disableNotification {
            out += (#","disable_notification":"# + (disable ? "true" : "false")).utf8
        }
        if let markup = request.replyMarkup {
            out += #","reply_markup":"#.utf8
            markup.appendJSON(to: &out)
        }
        out += "}".utf8
        return ByteBuffer(bytes: out)
    }

    /// Performs one call with its parameters already JSON (nil: none) and unwraps the envelope.
    private func call<Result: Decodable>(_ method: String, json: ByteBuffer?, timeout: Duration? = nil) async throws -> Result {
        let (status, body) = try await exchange(method, json: json, timeout: timeout)
        return try unwrap(try? Self.decoder.decode(TelegramResponse<Result>.self, from: body), status: status, method: method)
    }

    /// Sends one request and returns the answer's status and body, whatever the status;
    /// transport failures are thrown as `TelegramError`.
    private func exchange(_ method: String, json: ByteBuffer?, timeout: Duration? = nil) async throws -> (Int, ByteBuffer) {
        let timeout = timeout ?? configuration.requestTimeout
        do {
            if method == "sendMessage", let sender, let json {
                let response = try await sender.post(path: sendMessagePath, contentType: "application/json", body: json,
                                                     timeout: timeout)
                return (response.status, response.body)
            }
            var request = HTTPClientRequest(url: methodURLPrefix + method)
            request.method = .POST
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(json)
            }
            let response = try await httpClient.execute(request, timeout: TimeAmount(timeout), logger: logger)
            return (Int(response.status.code), try await response.body.collect(upTo: configuration.maxResponseBytes))
        } catch {
            let mapped = try Self.transportError(error)
            logger.debug("telegram call failed", metadata: ["telegram.method": "\(method)", "error": "\(mapped)"])
            throw mapped
        }
    }

    /// The envelope's `result`, or the `TelegramError` the answer stands for.
    private func unwrap<Result>(_ envelope: TelegramResponse<Result>?, status: Int, method: String) throws -> Result {
        if let envelope, envelope.ok, let result = envelope.result {
            return result
        }
        let error: TelegramError
        if let envelope, !envelope.ok {
            error = TelegramError(
                errorCode: envelope.errorCode, description: envelope.description,
                parameters: envelope.parameters, httpStatus: status
            ).redacting(configuration.token)
        } else if (200..<300).contains(status) {
            error = .invalidResponse
        } else {
            // Not an envelope (a proxy's HTML page, say): classify by status alone.
            error = TelegramError(errorCode: nil, description: nil, parameters: nil, httpStatus: status)
        }
        logger.debug("telegram call failed", metadata: ["telegram.method": "\(method)", "error": "\(error)"])
        throw error
    }

    /// Maps AsyncHTTPClient, NIO and pipelined-client errors; rethrows cancellation as `CancellationError`.
    private static func transportError(_ error: any Error) throws -> TelegramError {
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
        if let error = error as? PipelinedHTTPError {
            switch error {
            case .timeout, .connectFailed(timedOut: true): return .timeout
            case .responseTooLarge: return .invalidResponse
            case .connectFailed(timedOut: false), .connectionLost, .notSent, .malformedResponse: return .network
            }
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timeout
            default:
                return .network
            }
        }
        if error is NIOTooManyBytesError { return .invalidResponse }
        return .network
    }

    public var description: String {
        "TelegramClient(baseURL: \(configuration.baseURL), token: \(configuration.token))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["configuration": configuration], displayStyle: .struct)
    }
}

import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// `TelegramAPI` over HTTP with AsyncHTTPClient: JSON bodies, one timeout per request
/// (long polls get their poll time on top), and every failure mapped to a
/// `TelegramError`. The token lives only in the private URL prefix; nothing here logs
/// or describes it.
public struct TelegramClient: TelegramAPI, CustomStringConvertible, CustomReflectable {
    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger
    /// `<base>/bot<token>/`: secret, never logged.
    private let methodURLPrefix: String

    /// - Parameter httpClient: defaults to the process-wide shared client. Pass a client
    ///   with a larger connection pool for high-throughput delivery.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "newsbot.telegram")) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.methodURLPrefix = "\(base)/bot\(configuration.token.rawValue)/"
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
        // The send loop's call: written by hand unless it carries a keyboard.
        guard request.replyMarkup == nil else { return try await call("sendMessage", body: request) }
        return try await call("sendMessage", json: Self.json(request))
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
        var json: ByteBuffer?
        if let body {
            do {
                json = ByteBuffer(data: try Self.encoder.encode(body))
            } catch {
                throw TelegramError.badRequest("cannot encode \(method) parameters")
            }
        }
        return try await call(method, json: json, timeout: timeout)
    }

    /// `sendMessage` parameters without a keyboard as JSON, the keys `JSONEncoder` would write.
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
        out += "}".utf8
        return ByteBuffer(bytes: out)
    }

    /// Performs one call with its parameters already JSON (nil: none) and unwraps the envelope.
    private func call<Result: Decodable>(_ method: String, json: ByteBuffer?, timeout: Duration? = nil) async throws -> Result {
        var request = HTTPClientRequest(url: methodURLPrefix + method)
        request.method = .POST
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(json)
        }
        let timeout = timeout ?? configuration.requestTimeout
        let status: Int
        let buffer: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: Self.timeAmount(timeout), logger: logger)
            status = Int(response.status.code)
            buffer = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch {
            let mapped = try Self.transportError(error)
            logger.debug("telegram call failed", metadata: ["telegram.method": "\(method)", "error": "\(mapped)"])
            throw mapped
        }
        let envelope = try? Self.decoder.decode(TelegramResponse<Result>.self, from: buffer)
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

    /// Maps AsyncHTTPClient / NIO errors; rethrows cancellation as `CancellationError`.
    private static func transportError(_ error: any Error) throws -> TelegramError {
        if error is CancellationError || Task.isCancelled { throw CancellationError() }
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

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    public var description: String {
        "TelegramClient(baseURL: \(configuration.baseURL), token: \(configuration.token))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["configuration": configuration], displayStyle: .struct)
    }
}

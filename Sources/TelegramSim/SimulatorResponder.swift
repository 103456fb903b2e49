import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Telegram

/// Routes HTTP requests to the simulated Bot API (`/bot<token>/<method>`) and to the
/// control API (`/sim/…`). A hand-written responder rather than a `Router`: one path
/// split and a switch keep the per-request cost of the load-test hot path low.
struct SimulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let core: SimulatorCore
    /// `bot<token>`: the only first path segment accepted.
    let tokenSegment: Substring

    /// The bot as a `User` object, encoded once for every sent message's `from`.
    let botJSON: [UInt8]

    init(core: SimulatorCore) {
        self.core = core
        self.tokenSegment = Substring("bot" + core.configuration.token.rawValue)
        self.botJSON = Array((try? Self.encoder.encode(core.bot)) ?? Data())
    }

    static let encoder = JSONEncoder()
    static let controlEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    static let controlDecoder = JSONDecoder()

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/bot") {
            return await botAPI(request, path: path)
        }
        if path.hasPrefix("/sim/") {
            return await control(request, path: path)
        }
        return Self.reply(.notFound)
    }

    // MARK: Bot API

    private func botAPI(_ request: Request, path: String) async -> Response {
        let rest = path.dropFirst()  // "bot<token>/<method>"
        guard let slash = rest.firstIndex(of: "/") else { return Self.reply(.notFound) }
        guard rest[..<slash] == tokenSegment else {
            _ = core.rejected(.unauthorized)
            return Self.reply(.unauthorized)
        }
        let method = rest[rest.index(after: slash)...].lowercased()
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: core.configuration.maxBodyBytes)
        } catch {
            return Self.reply(SimulatorFailure(413, "Request Entity Too Large"))
        }
        let contentType = request.headers[.contentType]
        let query = request.uri.query
        func parameters<T: Decodable>(_ type: T.Type) -> Result<T, SimulatorFailure> {
            BotAPIParameters.decode(type, body: body, contentType: contentType, query: query)
                .mapError { core.rejected($0) }
        }

        switch method {
        case "sendmessage":
            if let parameters = Self.plainSendMessage(body, contentType: contentType) {
                return sentReply(await core.sendMessage(parameters))
            }
            switch parameters(SendMessageRequest.self) {
            case .success(let parameters): return sentReply(await core.sendMessage(parameters))
            case .failure(let failure): return Self.reply(failure)
            }
        case "editmessagetext":
            switch parameters(EditMessageTextRequest.self) {
            case .success(let parameters): return Self.reply(await core.editMessageText(parameters))
            case .failure(let failure): return Self.reply(failure)
            }
        case "answercallbackquery":
            switch parameters(AnswerCallbackQueryRequest.self) {
            case .success(let parameters):
                if let failure = core.answerCallbackQuery(parameters) { return Self.reply(failure) }
                return Self.reply(.success(true))
            case .failure(let failure): return Self.reply(failure)
            }
        case "getme":
            return Self.reply(.success(core.bot))
        case "getupdates":
            switch parameters(GetUpdatesRequest.self) {
            case .success(let parameters):
                switch await core.getUpdates(parameters) {
                case .success(let updates): return Self.updatesReply(updates)
                case .failure(let failure): return Self.reply(failure)
                }
            case .failure(let failure): return Self.reply(failure)
            }
        case "setwebhook":
            switch parameters(SetWebhookRequest.self) {
            case .success(let parameters):
                switch core.setWebhook(parameters) {
                case .success(let text): return Self.reply(.success(true, description: text))
                case .failure(let failure): return Self.reply(failure)
                }
            case .failure(let failure): return Self.reply(failure)
            }
        case "deletewebhook":
            let drop = (try? parameters(DeleteWebhookRequest.self).get())?.dropPendingUpdates ?? false
            return Self.reply(.success(true, description: core.deleteWebhook(dropPendingUpdates: drop)))
        case "getwebhookinfo":
            return Self.reply(.success(core.webhookInfo()))
        default:
            _ = core.rejected(.notFound)
            return Self.reply(.notFound)
        }
    }

    /// `{"ok":true,"result":[…]}` from the stored update JSON, without re-encoding.
    private static func updatesReply(_ updates: [QueuedUpdate]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(#"{"ok":true,"result":["#)
        for (index, update) in updates.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(update.json)
        }
        buffer.writeString("]}")
        return json(buffer, status: 200)
    }

    // MARK: control API

    private func control(_ request: Request, path: String) async -> Response {
        var request = request
        let body = (try? await request.collectBody(upTo: 16 << 20)) ?? ByteBuffer()
        let query = request.uri.queryParameters
        switch (request.method, path) {
        case (.post, "/sim/faults"):
            do {
                let command = try Self.controlDecoder.decode(FaultCommand.self, from: body)
                let fault = try command.simulatedFault()
                if fault == nil && command.chatID == nil {
                    core.clearFaults()
                } else {
                    core.setFault(fault, chatID: command.chatID, times: command.times)
                }
                return Self.controlReply(true)
            } catch let failure as SimulatorFailure {
                return Self.reply(failure)
            } catch {
                return Self.reply(.badRequest("expected {\"chat_id\", \"fault\", \"status\", \"times\", \"delay_ms\"}"))
            }
        case (.get, "/sim/messages"):
            let chatID = query["chat_id"].flatMap { Int64($0) }
            return Self.controlReply(core.messages(chatID: chatID))
        case (.get, "/sim/stats"):
            let includeChats = query["chats"].map { $0 != "0" && $0 != "false" } ?? true
            return Self.controlReply(core.stats(includeChats: includeChats))
        case (.post, "/sim/reset"):
            core.reset()
            return Self.controlReply(true)
        case (.post, "/sim/updates"):
            return injectUpdates(body)
        case (.get, "/sim/callback_answers"):
            return Self.controlReply(core.callbackAnswers())
        case (.get, "/sim/webhook"):
            return Self.controlReply(core.webhookInfo())
        case (.get, "/sim/limits"):
            return Self.controlReply(core.rateLimits())
        case (.post, "/sim/limits"):
            guard let limits = try? Self.controlDecoder.decode(SimulatorRateLimits.self, from: body) else {
                return Self.reply(.badRequest(
                    "expected {\"global_per_second\", \"per_chat_per_second\", \"per_group_per_minute\"}"))
            }
            core.setRateLimits(limits)
            return Self.controlReply(limits)
        default:
            return Self.reply(.notFound)
        }
    }

    /// Accepts one update object or an array of them; answers the assigned ids.
    private func injectUpdates(_ body: ByteBuffer) -> Response {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(buffer: body)) else {
            return Self.reply(.badRequest("expected an update object or an array of them"))
        }
        let objects = (parsed as? [Any]) ?? [parsed]
        var ids: [Int64] = []
        for object in objects {
            guard JSONSerialization.isValidJSONObject(object),
                let data = try? JSONSerialization.data(withJSONObject: object)
            else {
                return Self.reply(.badRequest("an update must be a JSON object"))
            }
            do {
                ids.append(try core.injectUpdate(json: data))
            } catch {
                return Self.reply(error)
            }
        }
        return Self.controlReply(ids)
    }

    // MARK: encoding

    static func reply<T: Encodable>(_ result: Result<T, SimulatorFailure>) -> Response {
        let (status, body) = encoded(result)
        return json(body, status: status)
    }

    private static func reply<T: Encodable>(_ envelope: TelegramResponse<T>) -> Response {
        let (status, body) = encoded(envelope)
        return json(body, status: status)
    }

    static func reply(_ failure: SimulatorFailure) -> Response {
        let (status, body) = encoded(failure)
        return json(body, status: status)
    }

    /// A result as its HTTP status and envelope bytes.
    static func encoded<T: Encodable>(_ result: Result<T, SimulatorFailure>) -> (status: Int, body: ByteBuffer) {
        switch result {
        case .success(let value): encoded(TelegramResponse.success(value))
        case .failure(let failure): encoded(failure)
        }
    }

    private static func encoded<T: Encodable>(_ envelope: TelegramResponse<T>) -> (status: Int, body: ByteBuffer) {
        guard let data = try? encoder.encode(envelope) else {
            return encoded(SimulatorFailure(500, "Internal Server Error"))
        }
        return (envelope.errorCode ?? 200, ByteBuffer(data: data))
    }

    static func encoded(_ failure: SimulatorFailure) -> (status: Int, body: ByteBuffer) {
        (failure.code, ByteBuffer(data: (try? encoder.encode(failure.envelope)) ?? Data()))
    }

    private static func controlReply<T: Encodable>(_ value: T) -> Response {
        guard let data = try? controlEncoder.encode(value) else {
            return reply(SimulatorFailure(500, "Internal Server Error"))
        }
        return json(ByteBuffer(data: data), status: 200)
    }

    static func json(_ buffer: ByteBuffer, status: Int) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: buffer))
    }
}

import Foundation
import Testing

@testable import Telegram

/// Error classification from envelopes as Telegram really sends them.
@Suite struct TelegramErrorTests {
    static let token = BotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")

    func classify(_ json: String, status: Int? = nil) throws -> TelegramError {
        let envelope = try JSONDecoder().decode(TelegramResponse<Bool>.self, from: Data(json.utf8))
        return TelegramError(
            errorCode: envelope.errorCode, description: envelope.description, parameters: envelope.parameters,
            httpStatus: status)
    }

    @Test func tooManyRequestsCarriesRetryAfter() throws {
        let error = try classify(
            #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}"#)
        #expect(error == .tooManyRequests(retryAfter: .seconds(35)))
        #expect(error.retryAfter == .seconds(35))
        #expect(error.isRetriable)
        // Without parameters the number in the description is used.
        #expect(try classify(#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 4"}"#)
            == .tooManyRequests(retryAfter: .seconds(4)))
    }

    @Test(arguments: [
        "Forbidden: bot was blocked by the user",
        "Forbidden: user is deactivated",
        "Forbidden: bot was kicked from the group chat",
        "Forbidden: bot can't initiate conversation with a user",
    ])
    func forbiddenMeansBlocked(description: String) throws {
        let error = try classify(#"{"ok":false,"error_code":403,"description":"\#(description)"}"#)
        #expect(error == .blocked)
        #expect(!error.isRetriable)
        #expect(error.isRecipientGone)
    }

    @Test func badRequests() throws {
        #expect(try classify(#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#) == .chatNotFound)
        #expect(try classify(#"{"ok":false,"error_code":400,"description":"Bad Request: PEER_ID_INVALID"}"#) == .chatNotFound)
        #expect(try classify(#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}}"#)
            == .chatMigrated(newChatID: -1009))
        let parse = try classify(
            #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 3"}"#)
        #expect(parse == .badRequest("Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 3"))
        #expect(!parse.isRetriable && !parse.isRecipientGone)
    }

    @Test func otherCodes() throws {
        #expect(try classify(#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#) == .unauthorized)
        #expect(try classify(#"{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}"#) == .conflict)
        let server = try classify(#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#)
        #expect(server == .server(status: 502))
        #expect(server.isRetriable)
        // No error_code in the body: the HTTP status decides.
        #expect(try classify(#"{"ok":false}"#, status: 503) == .server(status: 503))
        #expect(TelegramError.timeout.isRetriable && TelegramError.network.isRetriable)
        #expect(!TelegramError.conflict.isRetriable && !TelegramError.unauthorized.isRetriable)
        #expect(!TelegramError.invalidResponse.isRetriable)
    }

    @Test func descriptionsNeverContainTheToken() {
        let leaky = TelegramError.badRequest("Bad Request: cannot use /bot\(Self.token.rawValue)/sendMessage")
            .redacting(Self.token)
        #expect(!leaky.description.contains(Self.token.rawValue))
        #expect(leaky.description.contains("123456789:<redacted>"))
        let all: [TelegramError] = [
            .tooManyRequests(retryAfter: .seconds(3)), .blocked, .chatNotFound, .chatMigrated(newChatID: -1),
            .badRequest("x"), .conflict, .unauthorized, .server(status: 500), .timeout, .network, .invalidResponse,
        ]
        for error in all {
            #expect(!error.description.isEmpty)
            #expect(!"\(error)".contains("AAHdqTcv"))
        }
    }

    @Test func botTokenIsRedacted() {
        let token = Self.token
        #expect(token.botID == 123456789)
        #expect(token.isWellFormed)
        #expect("\(token)" == "123456789:<redacted>")
        #expect(String(reflecting: token) == "BotToken(123456789:<redacted>)")
        #expect(!BotToken("nonsense").isWellFormed)
        #expect("\(BotToken("nonsense"))" == "<redacted>")
        let configuration = TelegramClient.Configuration(token: token)
        #expect(!"\(configuration)".contains("AAHdqTcv"))
        let client = TelegramClient(configuration: configuration)
        #expect(!"\(client)".contains("AAHdqTcv"))
        var dumped = ""
        dump(client, to: &dumped)
        #expect(!dumped.contains("AAHdqTcv"))
    }
}

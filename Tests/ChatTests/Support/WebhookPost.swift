import Chat
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Telegram

/// Posting to the webhook route the way Telegram does.
enum WebhookPost {
    static let secretHeader = HTTPField.Name(SetWebhookRequest.secretTokenHeader)!

    /// An application serving only the route, as `newsbot bot --webhook` does: `.router` tests
    /// reach `WebhookRoute.respond`, `.live` ones the event-loop fast path first.
    static func application(_ route: WebhookRoute) -> some ApplicationProtocol {
        let router = Router()
        route.register(on: router)
        return Application(router: router, server: route.server())
    }

    /// Both ways a request reaches the route.
    static let setups: [TestingSetup] = [.router, .live]

    static func send(_ body: Data, secret: String?, with client: any TestClientProtocol,
                     headers extra: HTTPFields = [:]) async throws -> HTTPResponse.Status {
        var headers = extra
        if let secret { headers[secretHeader] = secret }
        return try await client.execute(uri: "/telegram/webhook", method: .post, headers: headers,
                                        body: ByteBuffer(bytes: body)) { $0.status }
    }

    static func send(_ update: Update, secret: String, with client: any TestClientProtocol) async throws -> HTTPResponse.Status {
        try await send(JSONEncoder().encode(update), secret: secret, with: client)
    }
}

import Core
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Telegram

/// `POST /telegram/webhook`: Telegram's updates, pushed.
///
/// Answers, in this order: 401 without the right `X-Telegram-Bot-Api-Secret-Token`; 503 when
/// `maxInFlight` updates are already being applied (Telegram retries); 413 for a body over
/// `maxBodyBytes`; 400 for a body that is not an update; 200 once the update is applied,
/// skipped as a duplicate, or ignored as a kind the bot does not handle. The answer comes after
/// the update is applied and its replies sent, so if the process dies first Telegram delivers the
/// update again. Replies go out through the Bot API, never in the webhook response, so each one
/// is confirmed and retried.
public struct WebhookRoute: Sendable {
    public let configuration: Configuration
    private let router: UpdateRouter
    private let secret: Secret<String>
    private let admission: WebhookAdmission
    private let logger: Logger
    static let secretHeader = HTTPField.Name(SetWebhookRequest.secretTokenHeader)!

    /// - Parameter secret: the `secret_token` given to `setWebhook` (`TELEGRAM_WEBHOOK_SECRET`).
    public init(configuration: Configuration = Configuration(), router: UpdateRouter, secret: Secret<String>,
                logger: Logger = Logger(label: "newsbot.chat.webhook")) {
        self.configuration = configuration
        self.router = router
        self.secret = secret
        self.admission = WebhookAdmission(limit: configuration.maxInFlight)
        self.logger = logger
    }

    /// Adds the route to an application's router (the operations router with `/healthz`,
    /// `/readyz` and `/metrics`).
    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.post(RouterPath(configuration.path)) { request, _ -> Response in
            await self.respond(to: request)
        }
    }

    /// The whole exchange for one request; never throws, so nothing reaches Hummingbird's
    /// error path.
    public func respond(to request: Request) async -> Response {
        if let refusal = admit(secret: request.headers[Self.secretHeader], contentLength: request.headers[.contentLength]) {
            return Self.response(refusal)
        }
        defer { leave() }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Self.response(refused(.contentTooLarge))
        } catch {
            return Self.response(refused(.badRequest))
        }
        return Self.response(await apply(body))
    }

    /// An HTTP/1 server that answers this route on the event loop, ahead of Hummingbird's
    /// request bridging (`WebhookFastPath`, one per connection); everything else goes to the
    /// application's router.
    public func server(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .http1(fastPath: { WebhookFastPath(route: self) }, configuration: configuration)
    }

    /// The checks made before the body is read: 401 for a wrong or missing secret, 503 when
    /// `maxInFlight` updates are being applied, 413 when the declared length is over the limit.
    /// Nil: the request holds a place; `leave()` gives it back once the answer is known.
    func admit(secret given: String?, contentLength: String?) -> HTTPResponse.Status? {
        guard Self.constantTimeEquals(given, secret.value) else { return refused(.unauthorized) }
        guard admission.tryEnter() else { return refused(.serviceUnavailable) }
        if let length = contentLength.flatMap(Int.init), length > configuration.maxBodyBytes {
            leave()
            return refused(.contentTooLarge)
        }
        return nil
    }

    func leave() {
        admission.leave()
    }

    /// Decodes and applies an admitted body: 400 for a body that is not an update, 200 once it
    /// is applied, skipped or ignored, 503 when it should come again, 500 when it failed.
    func apply(_ body: ByteBuffer) async -> HTTPResponse.Status {
        let update: Update
        do {
            update = try body.withUnsafeReadableBytes { try WebhookUpdateReader.decode($0) }
        } catch {
            return refused(.badRequest)
        }
        do {
            _ = try await router.handle(update)
            return .ok
        } catch let error as ChatError {
            logger.info("chat: webhook update deferred", metadata: ["telegram.update_id": "\(update.updateID)", "error": "\(error)"])
            return refused(.serviceUnavailable)
        } catch is CancellationError {
            return refused(.serviceUnavailable)
        } catch {
            logger.warning("chat: webhook update failed; Telegram will deliver it again",
                           metadata: ["telegram.update_id": "\(update.updateID)", "error": "\(error)"])
            return refused(.internalServerError)
        }
    }

    /// Counts a refusal by status.
    func refused(_ status: HTTPResponse.Status) -> HTTPResponse.Status {
        ChatMetrics.webhookRejected(status.code).increment()
        return status
    }

    /// The answer's header fields: a 503 asks Telegram to come back in a second.
    static func headerFields(_ status: HTTPResponse.Status) -> HTTPFields {
        var headers = HTTPFields()
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return headers
    }

    private static func response(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: headerFields(status))
    }

    /// Compares without an early exit, so response timing does not reveal how much of a guessed
    /// secret was right.
    static func constantTimeEquals(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        // Walks both UTF-8 views in step (no copies: this runs for every update).
        var difference = UInt8(given.utf8.count == expected.utf8.count ? 0 : 1)
        var givenBytes = given.utf8.makeIterator()
        for byte in expected.utf8 {
            difference |= (givenBytes.next() ?? 0) ^ byte
        }
        return difference == 0 && !expected.isEmpty
    }
}

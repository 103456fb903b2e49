import Telegram

/// An error answer of the simulated Bot API: HTTP status = `error_code`, and the
/// description in Telegram's words.
struct SimulatorFailure: Error, Sendable, Hashable {
    var code: Int
    var description: String
    var parameters: ResponseParameters?

    init(_ code: Int, _ description: String, parameters: ResponseParameters? = nil) {
        self.code = code
        self.description = description
        self.parameters = parameters
    }

    static func tooManyRequests(retryAfter seconds: Int) -> SimulatorFailure {
        SimulatorFailure(
            429, "Too Many Requests: retry after \(seconds)", parameters: ResponseParameters(retryAfter: seconds))
    }

    static let unauthorized = SimulatorFailure(401, "Unauthorized")
    static let notFound = SimulatorFailure(404, "Not Found")
    static let webhookActive = SimulatorFailure(
        409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
    static let otherPoller = SimulatorFailure(
        409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")

    static func badRequest(_ text: String) -> SimulatorFailure {
        SimulatorFailure(400, "Bad Request: \(text)")
    }

    var envelope: TelegramResponse<Bool> {
        .failure(code, description, parameters: parameters)
    }
}

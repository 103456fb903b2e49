import ArgumentParser

/// The chat front's flags, shared by `newsbot bot` and `newsbot serve` (both run the same front).
struct ChatFrontOptions: ParsableArguments, Sendable {
    @Flag(help: "Take updates on POST /telegram/webhook (needs TELEGRAM_WEBHOOK_SECRET) instead of long polling.")
    var webhook = false

    @Option(name: .customLong("set-webhook"), help: "Call setWebhook with this public HTTPS URL at start (with --webhook).")
    var setWebhook: String?

    @Option(name: .customLong("max-connections"), help: "setWebhook max_connections (1–100).")
    var maxConnections: Int = 40

    @Option(name: .customLong("flow-ttl-minutes"), help: "Minutes after which a half-finished conversation is forgotten.")
    var flowTTLMinutes: Int = 60

    @Option(name: .customLong("max-in-flight"), help: "Webhook updates applied at once; more get 503 and are redelivered.")
    var maxInFlight: Int = 512

    func validate() throws {
        if setWebhook != nil && !webhook { throw ValidationError("--set-webhook needs --webhook") }
        if let url = setWebhook, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw ValidationError("--set-webhook must be an https:// URL")
        }
        guard (1...100).contains(maxConnections) else { throw ValidationError("--max-connections must be 1–100") }
        guard flowTTLMinutes > 0 else { throw ValidationError("--flow-ttl-minutes must be at least 1") }
        guard maxInFlight > 0 else { throw ValidationError("--max-in-flight must be at least 1") }
    }
}

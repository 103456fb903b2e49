import ArgumentParser
import AsyncHTTPClient
import Chat
import Core
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization
import Telegram
import TelegramSim

/// `newsbot loadtest webhook --updates N --clients C --users U`: the chat front's webhook route
/// in this process, on the configured backends (`DATABASE_URL` / `REDIS_URL`, else a throwaway
/// SQLite file), replying through the in-process simulator (limits off); C keep-alive HTTP
/// clients post N updates of U users with the secret header. Prints accepted updates/s, the 503s
/// (back-pressure) and the latency from posting an update to the simulator recording its reply.
///
/// To measure the front alone, split the harness over processes: `newsbot telegram-sim
/// --global-rate 0 --per-chat-rate 0` as the Bot API, `loadtest webhook --serve-port P --sim-url
/// SIM` for the chat front only (until stopped), and `loadtest webhook --target
/// http://127.0.0.1:P/telegram/webhook --sim-url SIM` for the load clients only. With the
/// simulator elsewhere, latency is measured from posting to the webhook's 200, which Telegram only
/// gets after the reply was confirmed by the Bot API (so at or just above the reply's arrival);
/// the simulator's recorded replies are still counted against the posts.
///
/// The reply limits drop the 30 msg/s global bucket: with it the bot could never answer more than
/// 30 updates/s, and that ceiling is Telegram's, not the front's. The per-chat bucket stays (its
/// cost is paid per reply) with a burst of 10: the harness answers a `/subscribe` flow's questions
/// in milliseconds, a person in seconds, and the test measures the front, not that pacing.
struct LoadtestWebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhook", abstract: "Measure the webhook chat front.")

    @Option(help: "Updates to post (sessions of /help, /topics or a three-step /subscribe).")
    var updates: Int = 20_000

    @Option(help: "Concurrent HTTP clients (keep-alive connections).")
    var clients: Int = 64

    @Option(help: "Distinct users (default: half the updates); one user's updates are posted in order.")
    var users: Int?

    @Option(name: .customLong("max-in-flight"), help: "Webhook updates applied at once; more get 503.")
    var maxInFlight: Int = 512

    @Option(name: .customLong("sim-url"), help: "Reply through a running `newsbot telegram-sim` (limits off) at this URL instead of an in-process one.")
    var simURL: String?

    @Option(name: .customLong("serve-port"), help: "Run only the chat front, on this loopback port, until stopped; post to it from another process with --target.")
    var servePort: Int?

    @Option(help: "Run only the load clients, posting to the webhook at this URL (a front started with --serve-port); needs --sim-url.")
    var target: String?

    func validate() throws {
        if servePort != nil && target != nil { throw ValidationError("--serve-port runs the front only, --target the clients only: pick one") }
        if target != nil && simURL == nil { throw ValidationError("--target needs --sim-url, where the front sends its replies") }
        if let servePort, !(1...65535).contains(servePort) { throw ValidationError("--serve-port must be 1–65535") }
        guard updates > 0, clients > 0, maxInFlight > 0 else { throw ValidationError("--updates, --clients and --max-in-flight must be at least 1") }
        if let users, users < 1 { throw ValidationError("--users must be at least 1") }
    }

    func run() async throws {
        LoggingSetup.bootstrap(level: .warning, format: .text)
        if let target {
            return try await runClients(target: target)
        }
        let metrics = MetricsSetup.bootstrap()
        let logger = Logger(label: "newsbot.loadtest")
        var configuration = try AppConfiguration.load()
        // Embedded unless a server is configured: a throwaway file, like the other loadtests.
        let scratch = configuration.databaseURL.value == AppConfiguration.defaultDatabaseURL ? LoadtestScratchDatabase("webhook") : nil
        defer { scratch?.remove() }
        scratch?.use(in: &configuration)
        let runtime = try await Runtime.build(configuration, logger: logger)
        let secret = configuration.webhookSecret ?? Secret(Self.defaultSecret)

        // The simulator and the server are stopped by cancellation, which they log as errors.
        let quiet = { var logger = Logger(label: "newsbot.loadtest.server"); logger.logLevel = .critical; return logger }()
        let simulator = TelegramSimulator(configuration: .init(rateLimits: .unlimited, recordMessages: true), logger: quiet)
        let telegramHTTP = TelegramClient.makeHTTPClient(connections: clients)
        let telegram: TelegramClient
        if let simURL {
            try await Self.resetSimulator(simURL, httpClient: telegramHTTP)
            telegram = TelegramClient(configuration: .init(baseURL: simURL, token: TelegramSimulator.Configuration.defaultToken),
                                      httpClient: telegramHTTP)
        } else {
            _ = try await simulator.start()
            telegram = TelegramClient(configuration: simulator.clientConfiguration(), httpClient: telegramHTTP)
        }

        // The chat front of `bot --webhook`, with the reply limits above, on a loopback port.
        var replyLimits = ReplyLimits()
        replyLimits.globalPerSecond = 0
        replyLimits.perChatBurst = 10
        (configuration.webhookSecret, configuration.httpHost, configuration.httpPort) = (secret, "127.0.0.1", servePort ?? 0)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let front = try await BotCommand.chatServices(
            ChatFrontOptions.parse(["--webhook", "--max-in-flight", "\(maxInFlight)"]), router: .init(replyLimits: replyLimits),
            configuration: configuration, runtime: runtime, telegram: telegram, metrics: metrics, logger: quiet,
            onListening: { portSink.yield($0); portSink.finish() })

        if servePort != nil {
            // Front only: the clients are another process; stopped by a signal.
            print("loadtest webhook: chat front only, max in flight \(maxInFlight); backends \(runtime.description); "
                  + "replies to \(simURL ?? "the in-process simulator")")
            try await runtime.withServices {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for service in front { group.addTask { try await service.run() } }
                    var iterator = ports.makeAsyncIterator()
                    if let port = await iterator.next() {
                        FileHandle.standardError.write(Data("  listening on http://127.0.0.1:\(port)\(WebhookRoute.Configuration().path)\n".utf8))
                    }
                    try await group.waitForAll()
                }
            }
            return
        }

        let userCount = users ?? max(1, updates / 2)
        print("loadtest webhook: \(updates) updates, \(userCount) users, \(clients) clients, max in flight \(maxInFlight); "
              + "backends \(runtime.description)")
        let result = try await runtime.withServices {
            return try await withThrowingTaskGroup(of: LoadResult?.self) { group in
                for service in front { group.addTask { try await service.run(); return nil } }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next(), port > 0 else { throw NewsbotError(.internal, "webhook server did not start") }
                group.addTask {
                    try await Self.drive(url: "http://127.0.0.1:\(port)/telegram/webhook", secret: secret.value,
                                         updates: updates, users: userCount, clients: clients)
                }
                while let outcome = try await group.next() {
                    if let outcome { group.cancelAll(); return outcome }
                }
                throw NewsbotError(.internal, "webhook server stopped early")
            }
        }
        let replies: Replies
        if let simURL {
            replies = .counted(try await Self.recordedReplies(simURL, httpClient: telegramHTTP))
        } else {
            replies = .timed(simulator.messages())
            await simulator.stop()
        }
        try? await telegramHTTP.shutdown()
        try report(result, replies: replies)
    }

    /// The load clients alone, against a front in another process (`--serve-port`).
    private func runClients(target: String) async throws {
        guard let simURL else { throw ValidationError("--target needs --sim-url") }
        let secret = (try? AppConfiguration.load())?.webhookSecret?.value ?? Self.defaultSecret
        // Only for the simulator's control API; the posts have their own client (`drive`).
        let loadHTTP = TelegramClient.makeHTTPClient(connections: 1)
        let userCount = users ?? max(1, updates / 2)
        print("loadtest webhook: \(updates) updates, \(userCount) users, \(clients) clients, posting to \(target)")
        let result: LoadResult, replies: [Int64: Int]
        do {
            try await Self.resetSimulator(simURL, httpClient: loadHTTP)
            result = try await Self.drive(url: target, secret: secret, updates: updates, users: userCount, clients: clients)
            replies = try await Self.recordedReplies(simURL, httpClient: loadHTTP)
        } catch {
            try? await loadHTTP.shutdown()
            throw error
        }
        try? await loadHTTP.shutdown()
        try report(result, replies: .counted(replies))
    }

    /// The secret when `TELEGRAM_WEBHOOK_SECRET` is unset; front and clients agree on it.
    static let defaultSecret = "loadtest-webhook-secret"

    /// The replies a run can match its posts with: timed to the millisecond by the in-process
    /// simulator, or only counted per chat from an external one (its control API gives whole
    /// seconds).
    enum Replies {
        case timed([SimulatedMessage])
        case counted([Int64: Int])
    }

    /// Forgets an external simulator's earlier messages, so the run's replies can be counted.
    static func resetSimulator(_ simURL: String, httpClient: HTTPClient) async throws {
        var request = HTTPClientRequest(url: simURL + "/sim/reset")
        request.method = .POST
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else { throw NewsbotError(.internal, "simulator reset: HTTP \(response.status.code)") }
    }

    /// Replies an external simulator recorded, per chat.
    static func recordedReplies(_ simURL: String, httpClient: HTTPClient) async throws -> [Int64: Int] {
        let response = try await httpClient.execute(HTTPClientRequest(url: simURL + "/sim/messages"), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 30)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let messages = try decoder.decode([SimulatedMessage].self, from: Data(body.readableBytesView))
        return messages.reduce(into: [:]) { $0[$1.chatID, default: 0] += 1 }
    }

    /// What the clients saw: per chat, when each update was first posted (in posting order), and
    /// each accepted update's time from its first post to the webhook's 200.
    typealias LoadResult = (seconds: Double, accepted: Int, unavailable: Int, failures: [String], sent: [Int64: [Date]],
                            answered: [Double])

    /// Posts every session. User `u` belongs to client `u % clients`, which posts that user's
    /// updates one after another (as Telegram does per chat), so `update_id`s rise per chat and
    /// none is skipped as outdated. Each client is a `LoadtestWebhookClient`: one keep-alive
    /// connection, one request on it at a time, as Telegram's own webhook connections do.
    static func drive(url: String, secret: String, updates: Int, users: Int, clients: Int) async throws -> LoadResult {
        guard let configuration = PipelinedHTTPClient.Configuration(baseURL: url, connections: clients,
                                                                    maxResponseBytes: 64 * 1024), !configuration.useTLS else {
            throw ValidationError("not a plain http URL (the load clients do not speak TLS): \(url)")
        }
        // Used only to encode the requests exactly as the bot's own client would post them.
        let encoder = try PipelinedHTTPClient(configuration: configuration)
        let plans = posts(updates: updates, users: users, clients: clients).map { plan in
            plan.map { post in
                LoadtestWebhookClient.Post(chatID: post.chatID, request: encoder.encodeRequest(
                    path: "", contentType: "application/json", headers: [SetWebhookRequest.secretTokenHeader: secret],
                    body: post.body))
            }
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let started = ContinuousClock.now
        let finished = plans.map { plan in
            let loop = group.next()
            let promise = loop.makePromise(of: ClientResult.self)
            ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LoadtestWebhookClient(posts: plan, finished: promise))
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .whenFailure { error in
                    var result = ClientResult()
                    result.failures = Array(repeating: "cannot connect: \(error)", count: plan.count)
                    promise.succeed(result)
                }
            return promise.futureResult
        }
        var parts: [ClientResult] = []
        for future in finished { parts.append(try await future.get()) }
        // Merged once the clock has stopped: the bookkeeping takes nothing from the front.
        var total: LoadResult = ((ContinuousClock.now - started).timeInterval, 0, 0, [], [:], [])
        for part in parts {
            total.accepted += part.accepted
            total.unavailable += part.unavailable
            total.failures += part.failures
            for (chatID, posted) in part.sent { total.sent[chatID, default: []].append(posted) }
            total.answered += part.answered
        }
        return total
    }

    /// What one client saw, in its own posting order.
    struct ClientResult {
        var accepted = 0, unavailable = 0
        var failures: [String] = []
        var sent: [(chatID: Int64, at: Date)] = []
        var answered: [Double] = []
    }

    /// Every client's posts in order (see `drive`), bodies encoded before the clock starts. A
    /// user's second /subscribe is not asked for a zone: the zone is then plain text, answered
    /// too; every update gets exactly one reply.
    static func posts(updates: Int, users: Int, clients: Int) -> [[(chatID: Int64, body: ByteBuffer)]] {
        // Unique per run: a Redis deduplicator or a PostgreSQL store keeps earlier runs' ids.
        let runBase = Int64(Date().timeIntervalSince1970)
        let updateBase = runBase * 1_000_000_000, chatBase = runBase % 1_000_000 * 1_000_000 + 1_000_000_000
        let scripts = sessions(updates: updates)
        var plans = [[(chatID: Int64, body: ByteBuffer)]](repeating: [], count: min(clients, users, scripts.count))
        for (index, script) in scripts.enumerated() {
            let chatID = chatBase + Int64(index % users)
            for (step, text) in script.enumerated() {
                let updateID = updateBase + Int64(index * 3 + step)
                plans[index % users % plans.count].append(
                    (chatID, ByteBuffer(string: updateJSON(updateID: updateID, chatID: chatID, text: text))))
            }
        }
        return plans
    }

    /// The traffic mix, one script per session, from a fixed seed so runs compare: about 55 %
    /// `/help`, 35 % `/topics`, 10 % `/subscribe TOPIC` → time → zone, until `updates` are used.
    static func sessions(updates: Int) -> [[String]] {
        var scripts: [[String]] = [], count = 0
        while count < updates {
            // Fibonacci hashing of the session number: spread, and the same every run.
            let roll = Int(((UInt64(scripts.count + 1) &* 0x9E37_79B9_7F4A_7C15) >> 32) % 100)
            let script = roll < 55 ? ["/help"] : roll < 90 ? ["/topics"]
                : ["/subscribe topic \(scripts.count % 499)", "08:00", "Europe/Berlin"]
            let used = Array(script.prefix(updates - count))
            scripts.append(used)
            count += used.count
        }
        return scripts
    }

    /// A private-chat text message as Telegram posts it (commands carry a `bot_command` entity).
    static func updateJSON(updateID: Int64, chatID: Int64, text: String) -> String {
        let entities = text.hasPrefix("/")
            ? #","entities":[{"offset":0,"length":\#(text.prefix { $0 != " " }.utf16.count),"type":"bot_command"}]"# : ""
        // The scripts' texts need no escaping; Foundation's replacing was ~1.5 % of a run's CPU,
        // taken from the front under test.
        let escaped = !text.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") } ? text
            : text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"update_id":\#(updateID),"message":{"message_id":\#(updateID % 1_000_000_000 + 1),"#
            + #""from":{"id":\#(chatID),"is_bot":false,"first_name":"Load","language_code":"en"},"#
            + #""chat":{"id":\#(chatID),"type":"private","first_name":"Load"},"#
            + #""date":\#(Int(Date().timeIntervalSince1970)),"text":"\#(escaped)"\#(entities)}}"#
    }

    /// Matches each posted update to its chat's next reply recorded at or after the post (or, with
    /// an external simulator, counts the chat's replies and takes the post → 200 times), and
    /// prints the figures. Throws (non-zero exit) only when a request failed.
    func report(_ result: LoadResult, replies: Replies) throws {
        var latencies: [Double] = [], unmatched = 0, recordedCount = 0
        let measure: String
        switch replies {
        case .timed(let messages):
            measure = "webhook post → reply recorded by the simulator"
            recordedCount = messages.count
            var repliesByChat: [Int64: [Date]] = [:]
            for message in messages { repliesByChat[message.chatID, default: []].append(message.sentAt) }
            for (chatID, posts) in result.sent {
                let recorded = repliesByChat[chatID] ?? []
                var next = 0
                for posted in posts {
                    while next < recorded.count && recorded[next] < posted { next += 1 }
                    guard next < recorded.count else { unmatched += 1; continue }
                    latencies.append(recorded[next].timeIntervalSince(posted))
                    next += 1
                }
            }
        case .counted(let perChat):
            measure = "webhook post → 200 (after the reply was confirmed by the simulator)"
            recordedCount = perChat.values.reduce(0, +)
            latencies = result.answered
            for (chatID, posts) in result.sent { unmatched += max(0, posts.count - (perChat[chatID] ?? 0)) }
        }
        latencies.sort()
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "n/a" }
            let value = latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
            return String(format: "%.1f ms", value * 1000)
        }
        let rate = Double(result.accepted) / max(result.seconds, 0.001)
        print("  accepted (200): \(result.accepted) in \(String(format: "%.2f s", result.seconds)) = \(Int(rate)) updates/s "
              + "(target 5,000: \(String(format: "%.2f", rate / 5000))x); 503 (back-pressure): \(result.unavailable); "
              + "failed: \(result.failures.count)")
        print("  \(measure): p50 \(percentile(0.50)), p95 \(percentile(0.95)), "
              + "p99 \(percentile(0.99)), max \(percentile(1.0)) over \(latencies.count) replies "
              + "(\(unmatched) posts without a reply; \(recordedCount) replies recorded; target p95 < 50 ms)")
        print(PeakMemory.reportLine())
        if let first = result.failures.first {
            throw NewsbotError(.internal, "\(result.failures.count) webhook requests failed, first: \(first)")
        }
    }
}

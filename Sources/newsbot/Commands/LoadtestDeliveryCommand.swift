import ArgumentParser
import AsyncHTTPClient
import Core
import Delivery
import Foundation
import Logging
import Stages
import Telegram
import TelegramSim

/// `newsbot loadtest delivery --messages N`: N one-part digests, stored and queued on embedded
/// SQLite, delivered to the in-process simulator (limits off unless `--global-rate`); prints the
/// rate the sender reached and what the simulator saw.
struct LoadtestDeliveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delivery", abstract: "Measure the send loop.")

    @Option(help: "Messages to deliver (one per chat).")
    var messages: Int = 20_000

    @Option(help: "Concurrent sends.")
    var concurrency: Int = 64

    @Option(name: .customLong("global-rate"), help: "Sender and simulator global limit, msg/s (0 = off).")
    var globalRate: Int = 0

    @Option(name: .customLong("send-connections"), help: "Pipelined keep-alive connections for sendMessage (0 = AsyncHTTPClient, one request per connection).")
    var sendConnections: Int = TelegramClient.Configuration.defaultSendConnections

    @Option(name: .customLong("sim-url"), help: "Use a running `newsbot telegram-sim` at this URL instead of an in-process one.")
    var simURL: String?

    func run() async throws {
        LoggingSetup.bootstrap(level: .warning, format: .text)
        let logger = Logger(label: "newsbot.loadtest")
        let scratch = LoadtestScratchDatabase("delivery")
        defer { scratch.remove() }
        let configuration = try scratch.embeddedConfiguration()
        let runtime = try await Runtime.build(configuration, logger: logger)

        var limits = SimulatorRateLimits.unlimited
        limits.globalPerSecond = globalRate
        var quiet = Logger(label: "newsbot.telegram-sim")
        quiet.logLevel = .critical
        let simulator = TelegramSimulator(configuration: .init(rateLimits: limits, recordMessages: false), logger: quiet)
        let httpClient = TelegramClient.makeHTTPClient(connections: concurrency)
        let telegram: TelegramClient
        if let simURL {
            var configuration = TelegramClient.Configuration(baseURL: simURL, token: TelegramSimulator.Configuration.defaultToken)
            configuration.sendConnections = sendConnections
            telegram = TelegramClient(configuration: configuration, httpClient: httpClient)
        } else {
            _ = try await simulator.start()
            var configuration = simulator.clientConfiguration()
            configuration.sendConnections = sendConnections
            telegram = TelegramClient(configuration: configuration, httpClient: httpClient)
        }

        let run = SlotRunKey(pipeline: "loadtest", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)
        _ = try await runtime.store.createRun(run, at: Date())
        let text = "<b>📰 Your digest · 08:00</b>\n\n• <a href=\"https://news.example/a\">A story &amp; more</a> — <i>Reuters</i>"
        for chunk in stride(from: 0, to: messages, by: 10_000) {
            let batch = (chunk..<min(chunk + 10_000, messages)).map { index in
                DigestMessage(key: DeliveryKey(userID: Int64(index + 1), slot: run.slot, date: run.date, part: 1),
                              run: run, chatID: Int64(index + 1), parts: 1, text: text, urls: ["https://news.example/a"])
            }
            try await runtime.queue.push(try FanOut.payloads(for: try await runtime.store.saveDigestMessages(batch)), to: .deliver)
        }

        var policy = DeliveryPolicy(globalRate: Double(globalRate), perChatRate: 0, perGroupPerMinute: 0, concurrency: concurrency)
        policy.retry = .init(maxAttempts: 5, baseDelay: .milliseconds(50), maxDelay: .seconds(1))
        let worker = DeliveryWorker(configuration: .init(policy: policy, batchSize: 256), queue: runtime.queue,
                                    store: runtime.store, limiter: runtime.limiter, telegram: telegram, logger: logger)
        let started = ContinuousClock.now
        let cpuBefore = LoadtestCPUTime.seconds()
        try await worker.drain()
        let seconds = (ContinuousClock.now - started).timeInterval
        let cpuAfter = LoadtestCPUTime.seconds()
        let cpu = cpuBefore.flatMap { before in cpuAfter.map { $0 - before } }
        let counters = worker.counters
        try? await httpClient.shutdown()
        if simURL == nil { await simulator.stop() }
        print("loadtest delivery: \(counters.sent) sent, \(counters.duplicates) duplicates, \(counters.failed) failed, "
              + "\(counters.rateLimited) 429s received, in \(String(format: "%.2f s", seconds)) "
              + "= \(Int(Double(counters.sent) / max(seconds, 0.001))) msg/s (concurrency \(concurrency), "
              + "\(sendConnections == 0 ? "AsyncHTTPClient" : "\(sendConnections) pipelined connections"), "
              + (globalRate == 0 ? "limits off" : "limit \(globalRate)/s") + ")")
        if let cpu {
            print("  process CPU while sending: " + String(format: "%.2f s = %.0f µs per message", cpu, cpu * 1e6 / Double(max(counters.sent, 1)))
                  + (simURL == nil ? " (sender and simulator)" : " (sender only)"))
        }
        if simURL == nil {
            let stats = simulator.stats(includeChats: false)
            print("  simulator: \(stats.accepted) accepted, \(stats.tooManyRequests) answered 429, busiest second \(stats.maxGlobalPerSecond)")
        }
        print(PeakMemory.reportLine())
    }
}

import Core
import Foundation
import Telegram
import TelegramSim
import Testing

/// `newsbot serve`: the chat front (long polling), the scheduler and the workers in one process
/// on embedded defaults — a person subscribes through the bot and `/digest` brings a digest
/// through the same process's stages.
@Suite("newsbot serve")
struct ServeCommandTests {
    @Test func aPersonSubscribesAndGetsADigestOnDemandFromOneProcess() async throws {
        let binary = try NewsbotBinary()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let pipelineFile = try FixturePipeline.write(named: "daily", in: work)

        let simulator = TelegramSimulator(configuration: .init(rateLimits: .telegram))
        let simPort = try await simulator.start()
        let gnews = FakeGNewsServer(newsDirectory: NewsbotBinary.repository.appendingPathComponent("fixtures/batches/morning/news"))
        let gnewsTask = Task { try await gnews.run(ready: {}) }
        defer { gnewsTask.cancel() }
        while gnews.baseURL.hasSuffix(":0") { try await Task.sleep(for: .milliseconds(20)) }

        let log = work.appendingPathComponent("serve.log")
        let serve = try binary.start(["serve", "--pipeline", pipelineFile.path], environment: [
            "DATABASE_URL": "sqlite:" + work.appendingPathComponent("newsbot.sqlite").path,
            "TELEGRAM_API_URL": "http://127.0.0.1:\(simPort)",
            "TELEGRAM_BOT_TOKEN": TelegramSimulator.Configuration.defaultToken.rawValue,
            "GNEWS_API_URL": gnews.baseURL,
            "GNEWS_API_KEY": "serve-test-key",
            "HTTP_PORT": String(try FreePort.next()),
            "LOG_LEVEL": "warning",
        ], log: log)
        defer { if serve.isRunning { serve.terminate() } }

        let person = User(id: 4_242, isBot: false, firstName: "Ann", languageCode: "en")
        let steps = ["/start", "/subscribe", "python", "08:00", "Europe/Berlin", "/digest"]
        for (index, text) in steps.enumerated() {
            let before = simulator.messages(chatID: person.id).count
            try simulator.injectUpdate(Update(updateID: Int64(100 + index), message: Message(
                messageID: Int64(index + 1), from: person, chat: Chat(id: person.id, type: .private),
                date: Int64(Date().timeIntervalSince1970), text: text)))
            try await Self.waitUntil("a reply to \(text); log: \(KillAndResumeTests.tail(log))") {
                simulator.messages(chatID: person.id).count > before || !serve.isRunning
            }
        }
        // After "queued", the digest itself, rendered and delivered by the same process.
        try await Self.waitUntil("the digest; log: \(KillAndResumeTests.tail(log))") {
            simulator.messages(chatID: person.id).contains { $0.text.hasPrefix("<b>📰") } || !serve.isRunning
        }
        #expect(serve.isRunning, "serve stopped: \(KillAndResumeTests.tail(log))")
        let texts = simulator.messages(chatID: person.id).map(\.text)
        let replies = texts.filter { !$0.hasPrefix("<b>📰") }
        #expect(replies.count == steps.count, "one reply per update: \(replies)")
        #expect(texts.last?.hasPrefix("<b>📰") == true, "the digest comes after the replies: \(texts)")
        #expect(gnews.callsByQuery.keys.contains("en:python"))

        serve.terminate()
        let status = try await NewsbotBinary.wait(for: serve, timeout: .seconds(30))
        #expect(status == 0, "serve did not stop cleanly on SIGTERM: \(KillAndResumeTests.tail(log))")
        await simulator.stop()
    }

    @Test(arguments: [
        (["bot", "--webhook", "--polling"], "choose one of --webhook and --polling"),
        (["serve", "--set-webhook", "https://bot.example.com/telegram/webhook"], "--set-webhook needs --webhook"),
        (["bot", "--webhook", "--max-connections", "0"], "--max-connections must be 1–100"),
    ])
    func wrongChatFrontFlagsAreRefusedClearly(_ arguments: [String], _ message: String) async throws {
        let binary = try NewsbotBinary()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-flags-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let status = try await binary.run(arguments, environment: [:], log: log, timeout: .seconds(30))
        #expect(status != 0)
        #expect(KillAndResumeTests.tail(log).contains(message))
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw NewsbotBinaryError(message: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

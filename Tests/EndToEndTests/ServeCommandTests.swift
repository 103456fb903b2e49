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
        try await EmbeddedDeployment.with(pipeline: "daily") { try await subscribeAndAskForADigest($0) }
    }

    private func subscribeAndAskForADigest(_ deployment: EmbeddedDeployment) async throws {
        let (simulator, gnews) = (deployment.simulator, deployment.gnews)
        let log = deployment.log("serve")
        let serve = try deployment.binary.start(["serve", "--pipeline", deployment.pipelineFile.path],
                                                environment: deployment.environment.merging(["HTTP_PORT": String(try FreePort.next())]) { $1 },
                                                log: log)
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
        // The digest itself, rendered and delivered by the same process (it may overtake the
        // "queued" reply, which waits for the chat's own rate after five quick answers).
        let isDigest: (SimulatedMessage) -> Bool = { $0.text.hasPrefix("<b>📰") }
        try await Self.waitUntil("the digest and every reply; log: \(KillAndResumeTests.tail(log))") {
            let messages = simulator.messages(chatID: person.id)
            return (messages.contains(where: isDigest) && messages.filter { !isDigest($0) }.count >= steps.count) || !serve.isRunning
        }
        #expect(serve.isRunning, "serve stopped: \(KillAndResumeTests.tail(log))")
        let replies = simulator.messages(chatID: person.id).filter { !isDigest($0) }.map(\.text)
        #expect(replies.count == steps.count, "one reply per update: \(replies)")
        #expect(gnews.callsByQuery.keys.contains("en:python"))

        serve.terminate()
        let status = try await NewsbotBinary.wait(for: serve, timeout: .seconds(30))
        #expect(status == 0, "serve did not stop cleanly on SIGTERM: \(KillAndResumeTests.tail(log))")
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

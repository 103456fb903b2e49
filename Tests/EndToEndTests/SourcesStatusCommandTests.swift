import Core
import Foundation
import SQLiteBackend
import Telegram
import TelegramSim
import Testing

/// `newsbot sources status` and `pipeline status` after a real `pipeline run` in another
/// process: what the fetch stage recorded in the news cache (outcomes, GNews usage) is what the
/// operator sees.
@Suite("newsbot sources status")
struct SourcesStatusCommandTests {
    @Test func showsWhatAnotherProcessFetched() async throws {
        try await EmbeddedDeployment.with(pipeline: "status-e2e", extraEnvironment: ["GNEWS_DAILY_QUOTA": "100"]) {
            try await runThenAskForTheStatus($0)
        }
    }

    private func runThenAskForTheStatus(_ deployment: EmbeddedDeployment) async throws {
        let (binary, gnews, environment, work) = (deployment.binary, deployment.gnews, deployment.environment, deployment.work)
        let pipelineFile = deployment.pipelineFile
        let news = EmbeddedDeployment.news
        let embedded = try await SQLiteEmbedded.open(url: "sqlite:" + deployment.databasePath)
        try await embedded.subscribers.upsert([
            Subscriber(id: 1, chatID: 1, language: .en, timeZone: "UTC", status: .active, slots: [Slot("08:00")!],
                       topics: [Topic("python")!, Topic("rust")!]),
            Subscriber(id: 2, chatID: 2, language: .en, timeZone: "UTC", status: .active, slots: [Slot("08:00")!],
                       topics: [Topic("python")!]),
        ])
        await embedded.database.close()

        let log = work.appendingPathComponent("run.log")
        let run = try await binary.run(["pipeline", "run", "--slot", "08:00", "--date", "2026-11-26", "--pipeline", pipelineFile.path, "--wait"],
                                       environment: environment, log: log, timeout: .seconds(240))
        try #require(run == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        let calls = gnews.callsByQuery.values.reduce(0, +)
        #expect(calls == 2)

        let status = try await binary.output(["sources", "status", "--pipeline", pipelineFile.path], environment: environment,
                                             in: work, timeout: .seconds(120))
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("gnews: \(calls) GNews requests today, \(100 - calls) left of 100"), "\(status.stdout)")
        for topic in ["python", "rust"] {
            let articles = try JSONSerialization.jsonObject(with: Data(contentsOf: news.appendingPathComponent("gnews/en/\(topic).json")))
            let count = ((articles as? [String: Any])?["articles"] as? [Any])?.count ?? -1
            let row = lines.first { $0.hasPrefix(topic + " ") && $0.contains(" gnews ") }
            let cells = row?.split(separator: " ", omittingEmptySubsequences: true).map(String.init) ?? []
            // TOPIC LANG SOURCE LAST-FETCH OUTCOME ITEMS CACHE…
            #expect(cells.count >= 7, "no gnews row for \(topic) in \(status.stdout)")
            guard cells.count >= 7 else { continue }
            #expect(cells[1] == "en")
            #expect(cells[4] == "ok")
            #expect(cells[5] == String(count))
        }

        let pipelineStatus = try await binary.output(["pipeline", "status"], environment: environment, in: work, timeout: .seconds(120))
        #expect(pipelineStatus.stdout.contains("gnews: \(calls) GNews requests today, \(100 - calls) left of 100"), "\(pipelineStatus.stdout)")
        let key = try #require(environment["GNEWS_API_KEY"])
        #expect(!status.stdout.contains(key) && !pipelineStatus.stdout.contains(key), "the API key never shows")
    }
}

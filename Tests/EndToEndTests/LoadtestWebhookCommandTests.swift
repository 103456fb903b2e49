import Foundation
import Testing

/// The built binary's `newsbot loadtest webhook` on embedded defaults: its load clients post every
/// update, each is answered and replied to once, and a front that answers 503 is posted to again
/// after its `Retry-After` until every update is in. A benchmark is only as good as its harness:
/// a client that dropped or double-posted updates would report a rate of nothing.
@Suite("newsbot loadtest webhook")
struct LoadtestWebhookCommandTests {
    /// Generous: guards against a hang, not a speed requirement.
    static let hangGuard: Duration = .seconds(180)
    /// Embedded backends whatever the caller's environment says.
    static let embedded = ["DATABASE_URL": "", "REDIS_URL": "", "AMQP_URL": "", "LOG_LEVEL": "error"]

    /// The counts one run printed.
    private struct Report {
        var accepted: Int, unavailable: Int, failed: Int, withoutReply: Int, recorded: Int
        /// What the peak-memory line names as the process's allocator.
        var allocator: Substring

        init(_ output: NewsbotBinary.Output) throws {
            func number(after label: String) throws -> Int {
                let text = output.stdout
                guard let range = text.range(of: label) else {
                    throw NewsbotBinaryError(message: "no '\(label)' in:\n\(text)\n\(output.stderr)")
                }
                return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? -1
            }
            accepted = try number(after: "accepted (200): ")
            unavailable = try number(after: "503 (back-pressure): ")
            failed = try number(after: "failed: ")
            withoutReply = try number(after: "replies (")
            recorded = try number(after: "posts without a reply; ")
            allocator = output.stdout.split(separator: "\n").first { $0.contains("peak memory: ") }
                .flatMap { $0.split(separator: "(allocator: ", maxSplits: 1).dropFirst().first } ?? "none"
        }
    }

    private func run(_ arguments: [String]) async throws -> Report {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-loadtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let output = try await NewsbotBinary().output(["loadtest", "webhook"] + arguments, environment: Self.embedded,
                                                      in: work, timeout: Self.hangGuard)
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        return try Report(output)
    }

    @Test func everyUpdateIsAnsweredAndRepliedToOnce() async throws {
        let report = try await run(["--updates", "400", "--clients", "8"])
        #expect(report.accepted == 400)
        #expect(report.failed == 0)
        #expect(report.unavailable == 0)
        #expect(report.withoutReply == 0)
        #expect(report.recorded == 400)
        // The executable links jemalloc, and jemalloc must be what serves its malloc.
        #expect(report.allocator.hasPrefix("jemalloc 5."), "allocator: \(report.allocator)")
    }

    /// One update in flight at a time for 32 clients that all post at once: most first posts get
    /// 503, and each comes back after the route's `Retry-After` until it is accepted.
    @Test func postsRefusedWith503AreRetriedUntilAccepted() async throws {
        let report = try await run(["--updates", "64", "--clients", "32", "--max-in-flight", "1"])
        #expect(report.unavailable > 0)
        #expect(report.accepted == 64)
        #expect(report.failed == 0)
        #expect(report.withoutReply == 0)
        #expect(report.recorded == 64)
    }
}

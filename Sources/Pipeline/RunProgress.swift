import Core
import Foundation

/// A snapshot of a slot run for `pipeline run --wait` and `pipeline status`: the counts, how long
/// the wait has lasted, and the text to show (a one-line progress and a closing summary).
public struct RunProgress: Sendable, Hashable {
    public var run: SlotRun
    public var elapsed: Duration

    public init(run: SlotRun, elapsed: Duration) {
        self.run = run
        self.elapsed = elapsed
    }

    public var counts: SlotRunCounts { run.counts }

    /// Every due user rendered or skipped and every message delivered or failed.
    public var isFinished: Bool { counts.usersPending == 0 && counts.messagesPending == 0 }

    /// Users rendered or skipped so far.
    public var usersDone: Int { counts.usersDue - counts.usersPending }

    public var usersSkipped: Int { counts.usersSkipped.values.reduce(0, +) }

    /// `daily/08:00/2026-11-26  users 812/1000  messages 640/815 delivered, 2 failed  12.3s` —
    /// fixed shape so it can be redrawn in place on a terminal.
    public var line: String {
        var text = "\(run.key)  users \(usersDone)/\(counts.usersDue)"
        if usersSkipped > 0 { text += " (\(usersSkipped) skipped)" }
        text += "  messages \(counts.messagesDelivered)/\(counts.messages) delivered"
        if counts.messagesFailed > 0 { text += ", \(counts.messagesFailed) failed" }
        text += "  " + Self.format(elapsed)
        return text
    }

    /// A few lines for the end of `pipeline run --wait`.
    public var summary: String {
        let state = run.completedAt != nil || isFinished ? "finished" : "in progress"
        var lines = ["run \(run.key) \(state) after \(Self.format(elapsed))"]
        lines.append("  users due:      \(counts.usersDue)")
        lines.append("  with a digest:  \(counts.usersWithDigest)")
        let reasons = counts.usersSkipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  skipped:        \(usersSkipped)" + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))"))
        if counts.usersPending > 0 { lines.append("  still pending:  \(counts.usersPending)") }
        lines.append("  messages:       \(counts.messages) (delivered \(counts.messagesDelivered), failed \(counts.messagesFailed)"
            + (counts.messagesPending > 0 ? ", pending \(counts.messagesPending))" : ")"))
        return lines.joined(separator: "\n")
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.timeInterval
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        return whole < 3600 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s"
            : "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m"
    }
}

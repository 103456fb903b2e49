import Foundation
import Synchronization

/// One progress line: rewritten in place on a terminal, printed at most every few seconds
/// (and only when it changed) when the output is a file or a pipe.
final class ProgressDisplay: Sendable {
    private struct State {
        var last = ""
        var lastPrinted = Date.distantPast
    }

    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let state = Mutex(State())

    func show(_ line: String) {
        state.withLock { s in
            guard line != s.last else { return }
            if isTerminal {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
            } else if Date().timeIntervalSince(s.lastPrinted) >= 2 {
                print(line)
                s.lastPrinted = Date()
            }
            s.last = line
        }
    }

    func finish(_ summary: String) {
        if isTerminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
        print(summary)
    }
}

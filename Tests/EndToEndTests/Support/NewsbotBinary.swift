import Foundation

/// Runs the built `newsbot` executable as a child process, the way operators do.
/// `swift test` builds every product first, so the binary sits next to the test bundle.
struct NewsbotBinary {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let url: URL

    init() throws {
        let candidates = [
            ProcessInfo.processInfo.environment["NEWSBOT_BINARY"].map { URL(fileURLWithPath: $0) },
            Bundle.main.bundleURL.appendingPathComponent("newsbot"),
            Self.repository.appendingPathComponent(".build/debug/newsbot"),
        ].compactMap { $0 }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw NewsbotBinaryError(message: "newsbot binary not found (looked in \(candidates.map(\.path))); run `swift build` first")
        }
        self.url = found
    }

    /// Starts `newsbot ARGS` in the repository with `environment` added; output goes to `log`.
    func start(_ arguments: [String], environment: [String: String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs to the end, failing after `timeout`; returns the exit status.
    func run(_ arguments: [String], environment: [String: String] = [:], log: URL,
             timeout: Duration = .seconds(300)) async throws -> Int32 {
        let process = try start(arguments, environment: environment, log: log)
        return try await Self.wait(for: process, timeout: timeout)
    }

    static func wait(for process: Process, timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw NewsbotBinaryError(message: "newsbot did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }
}

struct NewsbotBinaryError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

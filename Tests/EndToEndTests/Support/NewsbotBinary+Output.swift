import Foundation

extension NewsbotBinary {
    /// What one run printed: standard output and standard error kept apart (JSON lines must not
    /// mix with log lines).
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `newsbot ARGS` to the end (failing after `timeout`) and returns what it printed.
    func output(_ arguments: [String], environment: [String: String] = [:], in directory: URL,
                timeout: Duration = .seconds(300)) async throws -> Output {
        let stdoutFile = directory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let stderrFile = directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        let status = try await Self.wait(for: process, timeout: timeout)
        return Output(status: status,
                      stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
    }
}

import Foundation

/// `scripts/servers-ctl`, found through `NEWSBOT_TEST_SERVERS_CTL` (exported by scripts/test):
/// starts private server instances for one test and stops or restarts them mid-run, without
/// disturbing the suites that share the default instances.
struct ServersCtl {
    let path: String

    init?() {
        guard let path = ProcessInfo.processInfo.environment["NEWSBOT_TEST_SERVERS_CTL"], !path.isEmpty else { return nil }
        self.path = path
    }

    /// Runs `servers-ctl COMMAND SERVER` and returns its standard output, trimmed.
    @discardableResult
    func callAsFunction(_ command: String, _ server: String) throws -> String {
        let outcome = try ChildProcess.run(path, [command, server])
        guard outcome.status == 0 else {
            throw NewsbotBinaryError(message: "servers-ctl \(command) \(server) failed: \(outcome.errors)")
        }
        return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

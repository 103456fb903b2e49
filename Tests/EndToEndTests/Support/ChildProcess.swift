import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short helper command (servers-ctl, psql) to completion with `posix_spawn` and
/// `waitpid`. Foundation's `Process` never noticed the end of a servers-ctl that had started a
/// daemon (the child stayed a zombie and `waitUntilExit` hung), so these bypass it.
enum ChildProcess {
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    static func run(_ path: String, _ arguments: [String]) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputPath = directory.appendingPathComponent("out").path
        let errorPath = directory.appendingPathComponent("err").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw NewsbotBinaryError(message: "cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return Outcome(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
                       output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                       errors: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}

import Foundation
import Synchronization

/// Fresh empty directories under the system temporary directory, removed with their owner: a
/// suite holds one, and Swift Testing drops the suite's instance after each test, so nothing a
/// test wrote is left behind in `/tmp` (runs used to leave a few directories each).
final class ScratchDirectories: Sendable {
    private let made = Mutex<[URL]>([])

    deinit {
        for url in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }

    /// A new directory named `name-UUID`.
    func make(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        made.withLock { $0.append(url) }
        return url
    }

    /// A database file's path in a new directory.
    func sqliteFile(_ name: String) throws -> URL {
        try make(name).appendingPathComponent("newsbot.sqlite")
    }
}

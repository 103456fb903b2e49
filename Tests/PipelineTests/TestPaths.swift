import Foundation

/// Where the repository is, found from this source file so tests run from any directory.
enum TestPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // PipelineTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ name: String = "newsbot-pipeline-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

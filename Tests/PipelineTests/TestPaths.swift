import Foundation

/// Where the repository is, found from this source file so tests run from any directory.
enum TestPaths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // PipelineTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()
}

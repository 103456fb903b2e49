import Foundation
import Telegram
import TelegramSim

/// newsbot on embedded defaults for an end-to-end test: the shared `DeploymentFixture` (temp
/// directory, fixture pipeline copy, the in-process TelegramSim at Telegram's limits, a fake
/// GNews serving the morning batch) with the SQLite file in its directory, and the environment a
/// `newsbot` process needs to use them. `deployment.binary`, `.simulator`, `.gnews`, `.work` and
/// `.pipelineFile` are the fixture's. `tearDown()` stops the servers and removes the directory.
@dynamicMemberLookup
final class EmbeddedDeployment: Sendable {
    static let news = DeploymentFixture.news

    let fixture: DeploymentFixture
    let environment: [String: String]

    var databasePath: String { fixture.work.appendingPathComponent("newsbot.sqlite").path }

    /// - Parameter pipeline: the pipeline copy's name (its runs are keyed by it).
    init(pipeline: String, extraEnvironment: [String: String] = [:]) async throws {
        fixture = try DeploymentFixture(name: pipeline, rateLimits: .telegram)
        _ = try await fixture.start()
        environment = fixture.environment
            .merging(["DATABASE_URL": "sqlite:" + fixture.work.appendingPathComponent("newsbot.sqlite").path]) { $1 }
            .merging(extraEnvironment) { $1 }
    }

    subscript<T>(dynamicMember keyPath: KeyPath<DeploymentFixture, T>) -> T { fixture[keyPath: keyPath] }

    func log(_ name: String) -> URL { fixture.log(name) }

    func tearDown() async { await fixture.tearDown() }
}

extension EmbeddedDeployment {
    /// Runs `body` with a fresh deployment, tearing it down afterwards, also when `body` throws.
    static func with<T: Sendable>(pipeline: String, extraEnvironment: [String: String] = [:],
                                  _ body: (EmbeddedDeployment) async throws -> T) async throws -> T {
        let deployment = try await EmbeddedDeployment(pipeline: pipeline, extraEnvironment: extraEnvironment)
        do {
            let result = try await body(deployment)
            await deployment.tearDown()
            return result
        } catch {
            await deployment.tearDown()
            throw error
        }
    }
}

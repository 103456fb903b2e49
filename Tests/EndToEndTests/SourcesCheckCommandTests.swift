import Foundation
import Testing

/// The built binary's `newsbot sources check`: every fixture feed gives its expected items, and
/// broken, HTML, truncated, external-entity, entity-bomb, oversized and hung inputs each get a
/// clear error while the other inputs are still reported.
@Suite("newsbot sources check")
struct SourcesCheckCommandTests {
    /// Generous: guards against a hang, not a speed requirement.
    static let hangGuard: Duration = .seconds(180)

    private func workDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("newsbot-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The JSON lines of one `--json` run, in input order.
    private func lines(_ output: NewsbotBinary.Output) throws -> [[String: Any]] {
        try output.stdout.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw NewsbotBinaryError(message: "not a JSON object: \(line)")
            }
            return object
        }
    }

    @Test func everyFixtureFeedGivesItsExpectedItemsOrError() async throws {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let fixtures = try FeedFixtures.inputs()
        #expect(fixtures.count >= 20)
        let output = try await NewsbotBinary().output(["sources", "check", "--json"] + fixtures.map(\.path),
                                                      environment: ["LOG_LEVEL": "error"], in: work, timeout: Self.hangGuard)
        let results = try lines(output)
        try #require(results.count == fixtures.count, "\(output.stdout)\n\(output.stderr)")
        var failures = 0
        for (fixture, result) in zip(fixtures, results) {
            let expected = try FeedFixtures.expectation(fixture.name)
            #expect(result["file"] as? String == fixture.path)
            #expect(Set(result.keys) == ["file", "ok", "error", "items"], "\(fixture.name)")
            let items = result["items"] as? [[String: Any]] ?? []
            if let kind = expected.error {
                failures += 1
                let error = result["error"] as? String ?? ""
                #expect(result["ok"] as? Bool == false, "\(fixture.name)")
                #expect(items.isEmpty, "\(fixture.name)")
                let wording = try #require(FeedExpectation.errorWording[kind], "no wording for \(kind)")
                #expect(error.contains(wording), "\(fixture.name): \"\(error)\" does not say \"\(wording)\"")
            } else {
                #expect(result["ok"] as? Bool == true, "\(fixture.name): \(result["error"] ?? "")")
                #expect(result["error"] is NSNull, "\(fixture.name)")
                let actual = items.map {
                    FeedExpectation.Item(title: $0["title"] as? String ?? "<missing>", link: $0["link"] as? String,
                                         published: $0["published"] as? String)
                }
                if let wanted = expected.items { #expect(actual == wanted, "\(fixture.name)") }
            }
        }
        #expect(failures > 0)
        #expect(output.status == 1, "exit 1 when any input failed")

        // Only good inputs: exit 0.
        let good = fixtures.filter { (try? FeedFixtures.expectation($0.name).error) == nil }
        let clean = try await NewsbotBinary().output(["sources", "check", "--json"] + good.map(\.path),
                                                     environment: ["LOG_LEVEL": "error"], in: work, timeout: Self.hangGuard)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
    }

    @Test func hostileInputsAreRefusedClearlyWithoutStoppingTheOthers() async throws {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let marker = "SECRET-\(UUID().uuidString)"
        let secret = work.appendingPathComponent("secret.txt")
        try Data(marker.utf8).write(to: secret)
        func write(_ name: String, _ text: String) throws -> String {
            let file = work.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            return file.path
        }
        let entity = try write("external.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY leak SYSTEM "file://\(secret.path)">]>
            <rss version="2.0"><channel><title>T</title><item><title>Leak &leak;</title>
            <link>https://example.com/1</link><description>&leak;</description></item></channel></rss>
            """)
        let parameter = try write("parameter.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY % dtd SYSTEM "file://\(secret.path)"> %dtd;]>
            <rss version="2.0"><channel><title>T</title></channel></rss>
            """)
        let laughs = try write("laughs.xml", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"" + String(repeating: "ha", count: 50)
            + "\">" + (1...12).map { "<!ENTITY e\($0) \"" + String(repeating: $0 == 1 ? "&a;" : "&e\($0 - 1);", count: 10) + "\">" }.joined()
            + "]><rss version=\"2.0\"><channel><title>&e12;</title></channel></rss>")
        let deep = try write("deep.xml", "<rss version=\"2.0\">" + String(repeating: "<x>", count: 100_000))
        let big = try write("big.xml", "<rss version=\"2.0\"><channel>" + String(repeating: "<item><title>x</title></item>", count: 40_000) + "</channel></rss>")
        let truncated = try write("cut.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Cut</title><item><title>Half")
        let binary = work.appendingPathComponent("random.bin")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }).write(to: binary)

        let server = FeedServer(feed: try Data(contentsOf: FeedFixtures.directory.appendingPathComponent("rss2-basic.xml")))
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        try await server.waitUntilListening()

        let inputs = [entity, parameter, laughs, deep, big, truncated, binary.path, "/dev/zero", work.appendingPathComponent("absent.xml").path,
                      "file://" + secret.path, server.baseURL + "/slow", server.baseURL + "/page", server.baseURL + "/missing",
                      server.baseURL + "/feed.xml"]
        let output = try await NewsbotBinary().output(
            ["sources", "check", "--json", "--timeout", "2", "--max-bytes", "1000000"] + inputs,
            environment: ["LOG_LEVEL": "error"], in: work, timeout: Self.hangGuard)
        #expect(!output.stdout.contains(marker), "a local file was read through a feed")
        #expect(!output.stderr.contains(marker))
        let results = try lines(output)
        try #require(results.count == inputs.count, "\(output.stdout)\(output.stderr)")
        #expect(output.status == 1)
        let byInput = Dictionary(uniqueKeysWithValues: zip(inputs, results))
        func error(_ input: String) -> String { byInput[input]?["error"] as? String ?? "<no error>" }

        // External entities are neutralised: a partial result with a warning-free empty expansion.
        #expect(byInput[entity]?["ok"] as? Bool == true)
        #expect((byInput[entity]?["items"] as? [[String: Any]])?.first?["title"] as? String == "Leak")
        #expect(byInput[parameter]?["ok"] as? Bool == true)
        #expect(error(laughs).contains("entity expansion refused"))
        #expect(error(deep).contains("malformed XML"))
        #expect(error(big).contains("too large"))
        #expect(error(truncated).contains("malformed XML"))
        #expect(error(binary.path).contains("not XML"))
        #expect(error("/dev/zero") == "not a regular file")
        #expect(error(work.appendingPathComponent("absent.xml").path).hasPrefix("cannot read file"))
        #expect(error("file://" + secret.path).contains("unsupported URL scheme"))
        #expect(error(server.baseURL + "/slow") == "timed out")
        #expect(error(server.baseURL + "/page").contains("HTML page"))
        #expect(error(server.baseURL + "/missing").contains("HTTP 404"))
        // The good URL after all of that still parses, to the same items as the file.
        let fromURL = byInput[server.baseURL + "/feed.xml"]
        #expect(fromURL?["ok"] as? Bool == true)
        let expected = try FeedFixtures.expectation("rss2-basic").items ?? []
        #expect((fromURL?["items"] as? [[String: Any]])?.map { $0["title"] as? String } == expected.map(\.title))
    }

    @Test func humanOutputIsATablePerInput() async throws {
        let work = try workDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let output = try await NewsbotBinary().output(
            ["sources", "check", "fixtures/feeds/rss2-windows-1251.xml", "fixtures/feeds/xxe.xml", "fixtures/feeds/truncated.xml"],
            environment: ["LOG_LEVEL": "error"], in: work, timeout: Self.hangGuard)
        #expect(output.status == 1)
        let text = output.stdout
        #expect(text.contains("fixtures/feeds/rss2-windows-1251.xml\n  format    rss2"))
        #expect(text.contains("  encoding  windows-1251"))
        #expect(text.contains("  items     2"))
        #expect(text.contains("  newest    2026-11-26T07:00:00Z"))
        #expect(text.contains("  warning   DTD entity declarations ignored"))
        #expect(text.contains("fixtures/feeds/truncated.xml\n  error     malformed XML"))
        #expect(text.contains("2 of 3 inputs parsed"))
    }
}

import NIOCore
import NIOSSL
import Testing
@testable import Telegram

/// The pipelined client over TLS (how it reaches api.telegram.org), against a loopback server
/// with a self-signed certificate for `localhost` that only these tests trust.
@Suite struct PipelinedHTTPClientTLSTests {
    typealias Server = ScriptedHTTPServer

    /// Self-signed, CN and SAN `localhost` / 127.0.0.1, valid for 100 years; test use only.
    static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIURf89V7MH1klgZhyMm40aGVdymsgwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEzMDE2MjQyOFoYDzIxMjYxMTA2
MTYyNDI4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARolbZtQOtROThMNBUGdKUsT58ciE0lQA8l7nlkBbj4w71FFX/TVt6t
qdQLdc1uAziLtURPZAbrJ0xMT6YjChLoo28wbTAdBgNVHQ4EFgQUvaOqkCfuV0Ub
6zGSS40dC1L81YUwHwYDVR0jBBgwFoAUvaOqkCfuV0Ub6zGSS40dC1L81YUwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhANglDOZSso52Pz1+ZRA4LHoMepW1ggweS9UMCE+gQlrJAiAH
oyyjInzSC5DCUgiInNHo7MhM/oGWAJY9S76wWXxKBw==
-----END CERTIFICATE-----
"""
    static let keyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgE/jMh26U2DneYGlj
hPKgx1StD4DkD1QkQJ1J1Z6EvZKhRANCAARolbZtQOtROThMNBUGdKUsT58ciE0l
QA8l7nlkBbj4w71FFX/TVt6tqdQLdc1uAziLtURPZAbrJ0xMT6YjChLo
-----END PRIVATE KEY-----
"""

    static func server() async throws -> Server {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
        return try await Server.start(batch: 3, tls: try NIOSSLContext(configuration: configuration)) {
            .bytes(Server.response("tls " + $0.body))
        }
    }

    static func client(port: Int, trusting: Bool) throws -> PipelinedHTTPClient {
        var configuration = try #require(PipelinedHTTPClient.Configuration(
            baseURL: "https://localhost:\(port)", connections: 1, maxResponseBytes: 1 << 16))
        if trusting {
            configuration.tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)))
        }
        return try PipelinedHTTPClient(configuration: configuration)
    }

    @Test func pipelinesOverTLSWithTheServerNameVerified() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let client = try Self.client(port: server.port, trusting: true)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<3 {
                group.addTask {
                    let response = try await client.post(path: "/x", contentType: "text/plain",
                                                         body: ByteBuffer(string: "\(index)"), timeout: .seconds(10))
                    return String(buffer: response.body)
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(answers == ["tls 0", "tls 1", "tls 2"])
        #expect(server.connections == 1)
    }

    @Test func anUntrustedCertificateIsAConnectionFailureAndSendsNothing() async throws {
        let server = try await Self.server()
        defer { Task { await server.stop() } }
        let client = try Self.client(port: server.port, trusting: false)
        await #expect(throws: PipelinedHTTPError.connectionLost) {
            try await client.post(path: "/x", contentType: "text/plain", body: ByteBuffer(string: "secret"), timeout: .seconds(10))
        }
        #expect(server.received.isEmpty)
    }
}

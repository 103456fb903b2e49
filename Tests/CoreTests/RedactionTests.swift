import Core
import Testing

@Suite("Redaction")
struct RedactionTests {
    @Test(arguments: [
        ("postgres://newsbot:s3cret@db:5432/newsbot", "postgres://newsbot:***@db:5432/newsbot"),
        ("redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("amqp://guest:p@ss@rabbit/vhost", "amqp://guest:***@rabbit/vhost"),
        ("connect to postgres://a:b@h1 and redis://c:d@h2 failed", "connect to postgres://a:***@h1 and redis://c:***@h2 failed"),
        ("postgres://user@host/db", "postgres://user@host/db"),
        ("https://example.com:8443/path", "https://example.com:8443/path"),
    ])
    func urlPasswords(_ input: String, _ expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test(arguments: [
        ("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage",
         "POST https://api.telegram.org/bot***/sendMessage"),
        ("token bot987654321:ZZ-top_1", "token bot***"),
        ("the bot answered", "the bot answered"),
    ])
    func botTokens(_ input: String, _ expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test(arguments: [
        ("GET https://gnews.io/api/v4/search?q=ai&apikey=abc123&lang=en", "GET https://gnews.io/api/v4/search?q=ai&apikey=***&lang=en"),
        ("https://gnews.io/api/v4/search?APIKEY=abc123", "https://gnews.io/api/v4/search?APIKEY=***"),
        ("failed: token=xyz retrying", "failed: token=*** retrying"),
        ("?api_key=1&key=2&password=3&secret_token=4", "?api_key=***&key=***&password=***&secret_token=***"),
        ("monkey=1&turkey=2", "monkey=1&turkey=2"),
    ])
    func apiKeyParameters(_ input: String, _ expected: String) {
        #expect(Redaction.redact(input) == expected)
    }

    @Test func errorsAndSecretsNeverPrintTheirSecret() {
        let error = NewsbotError(.unavailable, "GET https://gnews.io/api/v4/search?apikey=abc123 failed",
                                 underlying: NewsbotError(.storage, "postgres://u:pw@db"))
        #expect(!error.description.contains("abc123"))
        #expect(!error.debugDescription.contains("abc123"))
        #expect(!error.debugDescription.contains("pw@"))
        #expect(error.description.hasPrefix("unavailable: "))
        let token = Secret("123456:ABC")
        #expect("\(token)" == "***")
        #expect(String(reflecting: token) == "Secret(***)")
        #expect(token.value == "123456:ABC")
    }
}

import Testing
@testable import Stages

@Suite struct URLNormalizerTests {
    @Test(arguments: [
        ("HTTPS://WWW.Example.COM/News/Story/", "https://example.com/News/Story"),
        ("https://example.com/a?utm_source=x&utm_medium=rss&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=abc&gclid=def", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1#comments", "https://example.com/a?a=1&b=2"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/", "https://example.com"),
        ("  https://www.example.com/path/?UTM_Campaign=y  ", "https://example.com/path"),
        ("https://example.com/a%20b?q=c%2B%2B", "https://example.com/a%20b?q=c%2B%2B"),
        ("not a url", "not a url"),
    ])
    func normalizes(_ input: String, _ expected: String) {
        #expect(URLNormalizer.normalize(input) == expected)
    }

    @Test func sameStoryDifferentSpellingsAgree() {
        let spellings = [
            "https://www.example.com/story?utm_source=gnews",
            "https://example.com/story/#top",
            "HTTPS://EXAMPLE.COM/story?fbclid=1",
        ]
        #expect(Set(spellings.map(URLNormalizer.normalize)).count == 1)
    }

    @Test func onlyWebLinksAreWebURLs() {
        #expect(URLNormalizer.isWebURL("https://example.com"))
        #expect(URLNormalizer.isWebURL("HTTP://example.com"))
        #expect(!URLNormalizer.isWebURL("javascript:alert(1)"))
        #expect(!URLNormalizer.isWebURL("ftp://example.com"))
    }
}

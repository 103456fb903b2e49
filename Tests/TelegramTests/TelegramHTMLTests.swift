import Testing

@testable import Telegram

/// Telegram HTML validation and the visible-length rules behind the 4096 limit.
@Suite struct TelegramHTMLTests {
    @Test(arguments: [
        ("plain text", 10),
        ("<b>bold</b>", 4),
        ("<B>Bold</B> <strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>", 13),
        ("a &lt; b &amp;&amp; c &gt; d &quot;q&quot;", 18),
        ("&#128512;", 2),  // 😀 outside the BMP: a surrogate pair
        ("&#x1F600;", 2),
        ("&#233;", 1),
        ("😀", 2),
        ("é", 1),  // one scalar, two UTF-8 bytes
        ("e\u{301}", 2),  // e + combining accent: two scalars
        ("👍🏽", 4),  // emoji + skin tone modifier
        ("🇩🇪", 4),  // regional indicator pair
        ("日本語", 3),
        ("line\nbreak", 10),
        ("<a href=\"https://example.com/?a=1&amp;b=2\">link</a>", 4),
        ("<a href='https://example.com/'>x</a>", 1),
        ("<pre><code class=language-swift>x</code></pre>", 1),  // unquoted name token
        ("<span class=\"tg-spoiler\">hidden</span><tg-spoiler>also</tg-spoiler>", 10),
        ("<pre><code class=\"language-swift\">let x = 1</code></pre>", 9),
        ("<pre>raw</pre><code>c</code>", 4),
        ("<blockquote expandable>quote</blockquote>", 5),
        ("<blockquote>quote <b>bold <i>both <u>all</u></i></b> <a href=\"https://e.com\">l</a></blockquote>", 21),
        ("<b >spaced</b >", 6),
        ("<b>x</>", 1),  // tdlib accepts an empty end tag for the innermost tag
        ("> is fine bare", 14),
        ("<a href=\"https://e.com\" title=\"ignored\">x</a>", 1),
    ])
    func measuresVisibleText(html: String, length: Int) throws {
        #expect(try TelegramHTML.visibleLength(of: html) == length)
        #expect(TelegramHTML.isValid(html))
    }

    @Test func visibleTextDecodesEntitiesAndDropsTags() throws {
        #expect(try TelegramHTML.visibleText(of: "<b>Hi</b> &amp; <i>bye</i> &#128075;") == "Hi & bye 👋")
        let parsed = try TelegramHTML.parse("<a href=\"https://x.org\">&lt;x&gt;</a>")
        #expect(parsed.text == "<x>")
        #expect(parsed.metrics == TelegramTextMetrics(length: 3, isBlank: false))
    }

    @Test(arguments: [
        ("<br>", "Unsupported start tag \"br\" at byte offset 0"),
        ("x <div>y</div>", "Unsupported start tag \"div\" at byte offset 2"),
        ("a < b", "Unsupported start tag \"\" at byte offset 2"),
        ("<b>open", "Can't find end tag corresponding to start tag \"b\""),
        ("close</b>", "Unexpected end tag at byte offset 5"),
        ("<b><i>x</b></i>", "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"),
        ("<span class=\"other\">x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"),
        ("<a href>x</a>", "Expected equal sign in declaration of an attribute of the tag \"a\" at byte offset 0"),
        ("<a href=\"x>y</a>", "Unclosed end of attribute value at byte offset 8"),
        ("AT&T", "Character \"&\" must be escaped as \"&amp;\" at byte offset 2"),
        ("&lt without semicolon", "Character \"&\" must be escaped as \"&amp;\" at byte offset 0"),
        ("&nbsp;", "Unsupported HTML entity \"&nbsp;\" at byte offset 0"),
        ("&#xD800;", "Invalid numeric character reference at byte offset 0"),
        ("&#0;", "Invalid numeric character reference at byte offset 0"),
        ("&#99999999999;", "Invalid numeric character reference at byte offset 0"),
        ("&#;", "Unclosed numeric character reference at byte offset 0"),
        ("<a href=\"https://e.com/?a=1&b=2\">x</a>", "Character \"&\" must be escaped as \"&amp;\" at byte offset 27"),
        ("<code><b>x</b></code>", "Tag \"b\" can't be nested in tag \"code\" at byte offset 6"),
        ("<pre><b>x</b></pre>", "Tag \"b\" can't be nested in tag \"pre\" at byte offset 5"),
        ("<a href=\"https://a\"><a href=\"https://b\">x</a></a>", "Tag \"a\" can't be nested in tag \"a\" at byte offset 20"),
        ("<blockquote><blockquote>x</blockquote></blockquote>", "Tag \"blockquote\" can't be nested in tag \"blockquote\" at byte offset 12"),
        ("<a href=https://example.com>x</a>", "Unexpected end of name token at byte offset 13"),
        ("<b expandable>x</b>", "Expected equal sign in declaration of an attribute of the tag \"b\" at byte offset 0"),
    ])
    func rejectsWhatTelegramRejects(html: String, message: String) {
        #expect(throws: TelegramHTMLError.self) { try TelegramHTML.validate(html) }
        do {
            try TelegramHTML.validate(html)
        } catch {
            #expect(error.message == message)
        }
        #expect(!TelegramHTML.isValid(html))
    }

    @Test func limitIsCountedAfterEntityParsing() throws {
        let limit = TelegramLimits.maxMessageLength
        #expect(try TelegramHTML.measure(String(repeating: "a", count: limit)).fitsInOneMessage)
        #expect(try !TelegramHTML.measure(String(repeating: "a", count: limit + 1)).fitsInOneMessage)
        // Tags and entity spelling do not count; the decoded character does.
        #expect(try TelegramHTML.measure("<b>" + String(repeating: "a", count: limit) + "</b>").fitsInOneMessage)
        #expect(try TelegramHTML.visibleLength(of: String(repeating: "&amp;", count: limit)) == limit)
        // An emoji takes two units, so 2048 emoji fill the message.
        #expect(try TelegramHTML.visibleLength(of: String(repeating: "😀", count: limit / 2)) == limit)
        #expect(try !TelegramHTML.measure(String(repeating: "😀", count: limit / 2) + "a").fitsInOneMessage)
    }

    @Test func blankTextIsDetected() throws {
        #expect(try TelegramHTML.measure("<b> </b>\n\t").isBlank)
        #expect(try TelegramHTML.measure("").isBlank)
        #expect(try !TelegramHTML.measure("<b> </b>.").isBlank)
        #expect(try !TelegramHTML.measure("&amp;").isBlank)
        #expect(TelegramHTML.measurePlain("  \n").isBlank)
        #expect(TelegramHTML.measurePlain("😀") == TelegramTextMetrics(length: 2, isBlank: false))
    }

    @Test func escapeProducesValidHTMLThatShowsTheOriginal() throws {
        #expect(TelegramHTML.escape("a<b>&c \"q\"") == "a&lt;b&gt;&amp;c \"q\"")
        #expect(TelegramHTML.escapeAttribute("https://e.com/?a=1&b=\"2\"") == "https://e.com/?a=1&amp;b=&quot;2&quot;")
        #expect(TelegramHTML.escape("nothing special") == "nothing special")
        for original in ["R&D <script>alert(1)</script>", "AT&T &amp; &#65;", "Привет 👋🏽 <b>", "a > b < c", ""] {
            #expect(try TelegramHTML.visibleText(of: TelegramHTML.escape(original)) == original)
            let link = "<a href=\"\(TelegramHTML.escapeAttribute("https://x.org/?q=\(original)\""))\">x</a>"
            #expect(TelegramHTML.isValid(link))
        }
    }

    @Test func limitsHelpers() {
        #expect(TelegramLimits.isValidCallbackData("topic:add:python"))
        #expect(TelegramLimits.isValidCallbackData(String(repeating: "x", count: 64)))
        #expect(!TelegramLimits.isValidCallbackData(String(repeating: "x", count: 65)))
        #expect(!TelegramLimits.isValidCallbackData(String(repeating: "я", count: 33)))  // 66 bytes
        #expect(!TelegramLimits.isValidCallbackData(""))
        #expect(TelegramLimits.isValidSecretToken("abc_DEF-123"))
        #expect(TelegramLimits.isValidSecretToken(String(repeating: "a", count: 256)))
        #expect(!TelegramLimits.isValidSecretToken(String(repeating: "a", count: 257)))
        #expect(!TelegramLimits.isValidSecretToken("has space"))
        #expect(!TelegramLimits.isValidSecretToken("dots.not.allowed"))
        #expect(!TelegramLimits.isValidSecretToken(""))
    }
}

import Testing
@testable import Stages

@Suite struct TelegramHTMLTextTests {
    @Test func escapesTextAndAttributes() {
        #expect(TelegramHTMLText.escapeText("a < b && c > \"d\"") == "a &lt; b &amp;&amp; c &gt; \"d\"")
        #expect(TelegramHTMLText.escapeAttribute("https://x.com/?a=1&b=\"2\"") == "https://x.com/?a=1&amp;b=&quot;2&quot;")
    }

    @Test func cleansWhitespaceAndControls() {
        #expect(TelegramHTMLText.clean("  one\n\ttwo\u{0}\u{7}  three  ") == "one two three")
    }

    @Test func visibleLengthCountsLikeTelegram() {
        #expect(TelegramHTMLText.visibleLength(ofHTML: "<b>Hi</b> &amp; <a href=\"https://x.com/?a=1&amp;b\">there</a>") == 10)
        #expect(TelegramHTMLText.visibleLength(ofHTML: "📰") == 2)
        #expect(TelegramHTMLText.visibleLength(ofHTML: "&#128240;&#x41;") == 3)
        #expect(TelegramHTMLText.visibleLength(ofHTML: "Привет\n") == 7)
    }

    @Test func truncatesAtWordBoundaries() {
        #expect(TelegramHTMLText.truncate("The quick brown fox jumps", maxCharacters: 13) == "The quick…")
        #expect(TelegramHTMLText.truncate("The quick brown fox", maxCharacters: 19) == "The quick brown fox")
        #expect(TelegramHTMLText.truncate("The quick brown, fox", maxCharacters: 17) == "The quick brown…")
        #expect(TelegramHTMLText.truncate("Supercalifragilistic", maxCharacters: 6) == "Super…")
    }

    @Test func truncatesByUTF16WithoutSplittingEmoji() {
        let text = String(repeating: "😀", count: 10)
        let cut = TelegramHTMLText.truncate(text, maxUTF16: 8)
        #expect(cut.utf16.count <= 8)
        #expect(cut == "😀😀😀…")
    }
}

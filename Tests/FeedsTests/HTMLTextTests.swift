import Feeds
import Testing

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("Hel<b>lo</b>", "Hello"),
        ("one<br>two<br/>three", "one two three"),
        ("<p>one</p><p>two</p>", "one two"),
        ("<ul><li>a</li><li>b</li></ul>", "a b"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("&lt;tag&gt; &quot;q&quot; &apos;a&apos;", "<tag> \"q\" 'a'"),
        ("caf&eacute; &mdash; na&iuml;ve &hellip;", "café — naïve …"),
        ("&#8217; &#x2019; &#X2019;", "’ ’ ’"),
        ("it&#146;s", "it’s"),
        ("bad &#0; &#xD800; &#1114112;", "bad \u{FFFD} \u{FFFD} \u{FFFD}"),
        ("&#128640; rocket", "🚀 rocket"),
        ("&unknownentity; &amp", "&unknownentity; &amp"),
        ("AT&T and a & b", "AT&T and a & b"),
        ("a < b > c", "a < b > c"),
        ("if a<3 then", "if a<3 then"),
        ("x <b", "x <b"),
        ("<script>alert('<p>x</p>')</script>visible", "visible"),
        ("<STYLE type=\"text/css\">p { color: red }</STYLE>text", "text"),
        ("before<!-- a <p> comment -->after", "beforeafter"),
        ("<![CDATA[raw <b>text</b>]]>", "raw <b>text</b>"),
        ("<a href=\"x?a=1&b=2\" title='>'>link</a>", "link"),
        ("<img src=\"a.png\" alt=\"pic\">caption", "caption"),
        ("  lots \n\t of   space\u{00A0}\u{00A0}here  ", "lots of space here"),
        ("non&nbsp;breaking", "non breaking"),
        ("<div\nclass=\"x\"\n>multi-line tag</div>", "multi-line tag"),
        ("<?php echo 1 ?>text", "text"),
        ("<!DOCTYPE html><html><body><h1>Title</h1><p>Body</p></body></html>", "Title Body"),
        ("Привет, <i>мир</i>!", "Привет, мир!"),
        ("", ""),
    ])
    func reducesHTML(_ html: String, _ text: String) {
        #expect(HTMLText.plainText(fromHTML: html) == text)
    }

    @Test(arguments: [
        "Use <b>bold</b>", "<p>para</p>", "Q&amp;A", "it&#8217;s", "x&#x41;", "<br/>", "<a href=\"x\">l</a>", "&nbsp;",
    ])
    func looksLikeHTML(_ text: String) {
        #expect(HTMLText.looksLikeHTML(text))
    }

    @Test(arguments: [
        "AT&T", "a < b", "Vector<Int> in Swift", "R&D; costs", "5 > 3", "plain title", "<3 love", "Tom & Jerry",
    ])
    func plainTextIsNotHTML(_ text: String) {
        #expect(!HTMLText.looksLikeHTML(text))
        #expect(HTMLText.plainText(fromTextOrHTML: text) == text)
    }

    @Test func textOrHTMLReducesOnlyMarkup() {
        #expect(HTMLText.plainText(fromTextOrHTML: "Q&amp;A: <i>why</i>") == "Q&A: why")
        #expect(HTMLText.plainText(fromTextOrHTML: "  Vector<Int>\n rocks ") == "Vector<Int> rocks")
    }

    @Test func collapsesWhitespaceAndDropsControls() {
        #expect(HTMLText.collapsingWhitespace("\u{FEFF} a\u{0007}b \u{2003}\r\n c ") == "ab c")
    }

    @Test(arguments: ["<a '", "<!", "<?", "<b x=\"", "&#", "&amp"])
    func unclosedMarkupRepeatedIsLinear(_ unit: String) {
        let html = String(repeating: unit, count: 100_000)
        let start = ContinuousClock.now
        let text = HTMLText.plainText(fromHTML: html)
        #expect(ContinuousClock.now - start < .seconds(10), "\(unit)")
        #expect(text.count <= html.count)
        _ = HTMLText.looksLikeHTML(html)
        #expect(ContinuousClock.now - start < .seconds(15), "\(unit)")
    }

    @Test func largeInputIsLinear() {
        let html = String(repeating: "<p>word &amp; <b>bold</b></p>", count: 20_000)
        let start = ContinuousClock.now
        let text = HTMLText.plainText(fromHTML: html)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(text.hasPrefix("word & bold word & bold"))
    }
}

import Core
import Foundation

/// `index.html` of a replay: the digests as a person would see them in Telegram — one chat per
/// due user, one bubble per message — in a single self-contained file (inline CSS, no scripts,
/// no external resources). Message HTML goes through `TelegramHTMLSanitizer`, so only
/// Telegram's formatting reaches the page.
enum ReplayPage {
    struct Chat {
        var user: Subscriber
        var date: LocalDate
        var messages: [DigestMessage]
        /// Why there is no message, when there is none.
        var skipped: String?
    }

    static func render(summary: ReplaySummary, chats: [Chat]) -> String {
        let title = "newsbot replay · \(summary.pipeline) · \(summary.slot) · \(summary.now.formatted(.iso8601))"
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <header>
        <h1>\(escape(title))</h1>
        <p>\(summary.usersDue) users due · \(summary.digests) digests · \(summary.messages) messages · \
        \(summary.distinctTopicLanguages) topics fetched with \(summary.sourceCalls) source calls · \(summary.cacheHits) cache hits</p>
        </header>
        <main>

        """
        for chat in chats {
            let user = chat.user
            let who = "User \(user.id) · chat \(user.chatID) · \(user.language.rawValue) · \(user.timeZone ?? "UTC") · \(chat.date)"
            html += "<section class=\"chat\" id=\"user-\(user.id)\">\n<h2>\(escape(who))</h2>\n"
            html += "<p class=\"topics\">\(escape(user.topics.map(\.name).joined(separator: ", ")))</p>\n"
            if chat.messages.isEmpty {
                html += "<p class=\"skipped\">no digest (\(escape(chat.skipped ?? "no message")))</p>\n"
            }
            for message in chat.messages {
                let part = message.parts > 1 ? "\(message.key.part)/\(message.parts) · " : ""
                html += "<div class=\"bubble\">" + TelegramHTMLSanitizer.sanitize(message.text)
                    + "<span class=\"meta\">\(part)\(message.key.slot)</span></div>\n"
            }
            html += "</section>\n"
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func escape(_ text: String) -> String { TelegramHTMLSanitizer.escape(text) }

    private static let css = """
    body{margin:0;background:#dfe7ec;color:#0f1419;font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
    header{background:#517da2;color:#fff;padding:14px 24px}
    header h1{margin:0;font-size:18px;font-weight:600}
    header p{margin:4px 0 0;font-size:13px;opacity:.9}
    main{max-width:760px;margin:0 auto;padding:16px}
    section.chat{margin:0 0 28px}
    section.chat h2{margin:0;font-size:13px;font-weight:600;color:#3a4a55}
    p.topics{margin:0 0 8px;font-size:12px;color:#6b7c88}
    p.skipped{margin:0;color:#6b7c88;font-style:italic}
    .bubble{background:#fff;border-radius:12px 12px 12px 4px;padding:8px 12px 6px;margin:0 0 8px;max-width:92%;box-shadow:0 1px 1px rgba(0,0,0,.13);white-space:pre-wrap;overflow-wrap:anywhere}
    .meta{display:block;text-align:right;font-size:11px;color:#8a9aa5;margin-top:2px}
    a{color:#168acd;text-decoration:none}
    a:hover{text-decoration:underline}
    .spoiler{background:#c8d0d6;color:transparent;border-radius:3px}
    .spoiler:hover{color:inherit;background:none}
    blockquote{margin:4px 0;padding:0 0 0 10px;border-left:3px solid #168acd}
    pre,code{font-family:Menlo,Consolas,monospace;font-size:13px}
    pre{margin:4px 0;padding:6px 8px;background:#f2f5f7;border-radius:6px;white-space:pre-wrap}
    """
}

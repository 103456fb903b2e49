/// Checks digest HTML the way Telegram's HTML parse mode would reject it: only the tags we use
/// (`b`, `i`, `a href="…"`), properly nested, only `&lt; &gt; &amp; &quot;` entities, no bare
/// `<`, `>` or `&` in text and no bare `"` in attribute values. Returns the problems found.
enum HTMLChecker {
    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        var stack: [String] = []
        let chars = Array(html)
        var i = 0
        func entityOK(at index: Int) -> Bool {
            let rest = String(chars[index..<min(chars.count, index + 6)])
            return ["&lt;", "&gt;", "&amp;", "&quot;"].contains { rest.hasPrefix($0) }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                guard let close = chars[i...].firstIndex(of: ">") else { problems.append("unclosed tag"); break }
                let tag = String(chars[(i + 1)..<close])
                if tag.hasPrefix("/") {
                    let name = String(tag.dropFirst())
                    if stack.last != name { problems.append("mismatched </\(name)>") } else { stack.removeLast() }
                } else if tag == "b" || tag == "i" {
                    stack.append(tag)
                } else if tag.hasPrefix("a href=\"") && tag.hasSuffix("\"") {
                    let value = Array(tag.dropFirst(8).dropLast())
                    if value.contains("\"") || value.contains("<") || value.contains(">") { problems.append("bad href \(tag)") }
                    for (k, v) in value.enumerated() where v == "&" {
                        let rest = String(value[k..<min(value.count, k + 6)])
                        if !["&lt;", "&gt;", "&amp;", "&quot;"].contains(where: { rest.hasPrefix($0) }) { problems.append("bare & in href") }
                    }
                    stack.append("a")
                } else {
                    problems.append("tag not allowed: <\(tag)>")
                }
                i = close + 1
                continue
            }
            if c == ">" { problems.append("bare >") }
            if c == "&", !entityOK(at: i) { problems.append("bare &") }
            i += 1
        }
        if !stack.isEmpty { problems.append("unclosed \(stack)") }
        return problems
    }
}

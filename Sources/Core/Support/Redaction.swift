import Foundation

/// Removes secrets from text meant for logs and errors: passwords in URLs
/// (`postgres://user:secret@host` → `postgres://user:***@host`), Telegram bot tokens in paths
/// (`/bot123:ABC/` → `/bot***/`) and `apikey=` / `token=` query parameters.
public enum Redaction {
    public static func redact(_ text: String) -> String {
        var result = redactURLPasswords(text)
        result = redactBotTokens(result)
        result = redactQueryParameters(result, names: ["apikey", "api_key", "token", "key", "password", "secret_token"])
        return result
    }

    /// `scheme://user:password@` → `scheme://user:***@`.
    static func redactURLPasswords(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            output += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "?" || $0 == "#" || $0 == "\"" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                output += authority[...colon] + "***" + authority[at...]
            } else {
                output += authority
            }
            rest = rest[authorityEnd...]
        }
        return output + rest
    }

    /// `/bot<digits>:<token>` → `/bot***`.
    static func redactBotTokens(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let marker = rest.range(of: "bot") {
            output += rest[..<marker.upperBound]
            rest = rest[marker.upperBound...]
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            let afterDigits = rest[digits.endIndex...]
            if digits.count >= 3, afterDigits.first == ":" {
                let token = afterDigits.dropFirst().prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
                output += "***"
                rest = afterDigits.dropFirst()[token.endIndex...]
            }
        }
        return output + rest
    }

    /// `name=value` → `name=***` for the given parameter names (case-insensitive), where the
    /// name starts a query parameter or a word.
    static func redactQueryParameters(_ text: String, names: [String]) -> String {
        let chars = Array(text)
        let lowered = chars.map { Character($0.lowercased()) }
        let terminators: Set<Character> = ["&", " ", "#", "\"", "\n"]
        let starters: Set<Character> = ["?", "&", " ", "\n"]
        var output = ""
        var i = 0
        outer: while i < chars.count {
            if i == 0 || starters.contains(chars[i - 1]) {
                for name in names {
                    let n = Array(name)
                    let end = i + n.count
                    if end < chars.count, Array(lowered[i..<end]) == n, chars[end] == "=" {
                        output += String(chars[i...end]) + "***"
                        i = end + 1
                        while i < chars.count, !terminators.contains(chars[i]) { i += 1 }
                        continue outer
                    }
                }
            }
            output.append(chars[i])
            i += 1
        }
        return output
    }
}

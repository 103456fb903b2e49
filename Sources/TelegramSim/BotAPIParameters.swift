import Foundation
import NIOCore
import NIOFoundationCompat

/// Turns a Bot API request (JSON body, form body, or query string) into a parameter
/// type, the way Telegram accepts them: form and query values are strings, so numeric
/// and boolean fields are converted and JSON-valued fields (`reply_markup`,
/// `allowed_updates`, …) are parsed. JSON bodies take a fast path straight into the
/// `Decodable` type and only fall back to this conversion (for `"chat_id": "42"`).
enum BotAPIParameters {
    private static let integerFields: Set<String> = [
        "chat_id", "message_id", "offset", "limit", "timeout", "max_connections", "cache_time",
        "message_thread_id", "reply_to_message_id",
    ]
    private static let booleanFields: Set<String> = [
        "disable_web_page_preview", "drop_pending_updates", "show_alert", "disable_notification", "protect_content",
    ]
    private static let jsonFields: Set<String> = ["reply_markup", "allowed_updates", "link_preview_options", "entities"]

    /// JSONDecoder is thread-safe for decoding; one instance avoids a setup per request.
    private static let decoder = JSONDecoder()

    static func decode<T: Decodable>(
        _ type: T.Type, body: ByteBuffer, contentType: String?, query: String?
    ) -> Result<T, SimulatorFailure> {
        let contentType = contentType?.lowercased() ?? ""
        var object: [String: Any]
        if body.readableBytes == 0 {
            object = coerce(formPairs(query ?? ""))
        } else if contentType.contains("application/x-www-form-urlencoded") {
            object = coerce(formPairs(String(buffer: body)))
        } else if contentType.contains("multipart/form-data") {
            return .failure(.badRequest("multipart/form-data is not supported by the simulator"))
        } else {
            if let value = try? decoder.decode(T.self, from: body) { return .success(value) }
            guard let parsed = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] else {
                return .failure(.badRequest("request body is not valid JSON"))
            }
            object = coerce(parsed)
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return .success(try decoder.decode(T.self, from: data))
        } catch let DecodingError.keyNotFound(key, _) {
            return .failure(.badRequest("\(key.stringValue) is empty"))
        } catch {
            return .failure(.badRequest("invalid request parameters"))
        }
    }

    /// `a=1&b=x+y` → pairs, percent-decoded.
    static func formPairs(_ text: String) -> [String: Any] {
        var result: [String: Any] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decodeComponent(parts[0])
            let value = parts.count > 1 ? decodeComponent(parts[1]) : ""
            result[key] = value
        }
        return result
    }

    private static func decodeComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Converts string values of known numeric, boolean and JSON fields.
    private static func coerce(_ object: [String: Any]) -> [String: Any] {
        var result = object
        for (key, value) in object {
            guard let string = value as? String else { continue }
            if integerFields.contains(key), let number = Int64(string.trimmingCharacters(in: .whitespaces)) {
                result[key] = NSNumber(value: number)
            } else if booleanFields.contains(key) {
                result[key] = NSNumber(value: string == "true" || string == "1" || string == "True")
            } else if jsonFields.contains(key), let data = string.data(using: .utf8),
                let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            {
                result[key] = parsed
            }
        }
        return result
    }
}

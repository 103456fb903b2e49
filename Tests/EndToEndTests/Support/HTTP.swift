import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP calls a test makes to a newsbot process (readiness, webhook posts), the way
/// a load balancer or Telegram would.
enum HTTP {
    /// The response status of `request`.
    static func status(of request: URLRequest) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Posts one Telegram update to `POST /telegram/webhook` on `port`, as Telegram does.
    static func postUpdate(_ json: String, port: Int, secret: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/telegram/webhook")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(secret, forHTTPHeaderField: "X-Telegram-Bot-Api-Secret-Token")
        request.httpBody = Data(json.utf8)
        request.timeoutInterval = 30
        return try await status(of: request)
    }

    /// A private-chat text message update from user `userID` (chat id = user id).
    static func messageUpdate(updateID: Int, userID: Int64, text: String, language: String = "en") -> String {
        let escaped = String(data: try! JSONEncoder().encode(text), encoding: .utf8)!
        return """
            {"update_id":\(updateID),"message":{"message_id":\(updateID),"date":\(Int(Date().timeIntervalSince1970)),\
            "chat":{"id":\(userID),"type":"private","first_name":"E2E"},\
            "from":{"id":\(userID),"is_bot":false,"first_name":"E2E","language_code":"\(language)"},\
            "text":\(escaped)}}
            """
    }
}

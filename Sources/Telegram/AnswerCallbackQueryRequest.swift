/// Parameters of `answerCallbackQuery`, which stops the button's loading spinner and
/// optionally shows a short notification (up to 200 characters).
public struct AnswerCallbackQueryRequest: Codable, Sendable, Hashable {
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool?
    public var cacheTime: Int?

    public init(callbackQueryID: String, text: String? = nil, showAlert: Bool? = nil, cacheTime: Int? = nil) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
        self.cacheTime = cacheTime
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueryID = "callback_query_id"
        case text
        case showAlert = "show_alert"
        case cacheTime = "cache_time"
    }
}

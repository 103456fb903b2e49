/// An `answerCallbackQuery` the simulator accepted; lets chat tests check that every
/// button press was answered, and with what.
public struct SimulatedCallbackAnswer: Codable, Sendable, Hashable {
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool

    public init(callbackQueryID: String, text: String?, showAlert: Bool) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueryID = "callback_query_id"
        case text
        case showAlert = "show_alert"
    }
}

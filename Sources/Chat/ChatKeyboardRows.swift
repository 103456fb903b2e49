import Core
import Telegram

/// The keyboard rows that depend only on the router's configuration (the common delivery times
/// and time zones), made once per router instead of once per prompt: building them, labels and
/// `callback_data` included, was a visible share of a `/subscribe` step.
struct ChatKeyboardRows: Sendable {
    /// Common delivery times, three per row.
    let slots: [[InlineKeyboardButton]]
    /// Common time zones, two per row.
    let zones: [[InlineKeyboardButton]]

    init(_ options: UpdateRouter.Configuration) {
        slots = Self.chunks(options.commonSlots.map { .callback($0.description, data: CallbackAction.slot($0).data) }, 3)
        zones = Self.chunks(options.commonTimeZones.map { .callback(ChatKeyboards.zoneLabel($0), data: CallbackAction.zone($0).data) }, 2)
    }

    /// Rows of `size`, leaving out buttons whose data Telegram would reject.
    static func chunks(_ buttons: [InlineKeyboardButton], _ size: Int) -> [[InlineKeyboardButton]] {
        let valid = buttons.filter { $0.callbackData.map(TelegramLimits.isValidCallbackData) ?? false }
        return stride(from: 0, to: valid.count, by: size).map { Array(valid[$0..<min($0 + size, valid.count)]) }
    }
}

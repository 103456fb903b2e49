import Core
import Telegram

/// The inline keyboards of the flows. Every button's `callback_data` is a `CallbackAction`
/// within Telegram's 64 bytes; buttons whose data would not fit are left out rather than sent
/// and rejected.
struct ChatKeyboards: Sendable {
    let strings: ChatStrings
    let options: UpdateRouter.Configuration
    let rows: ChatKeyboardRows

    /// Popular topics of the user's language, two per row, and a cancel button.
    func topics(excluding subscribed: [Topic]) -> InlineKeyboardMarkup {
        let topics = options.popularTopics(for: strings.language).filter { !subscribed.contains($0) }
        return grid(topics.map { button($0.name, .topic($0)) }, columns: 2, cancel: true)
    }

    /// Common delivery times, three per row; "keep my times" when the user has some.
    func slots(current: [Slot]) -> InlineKeyboardMarkup {
        var rows = self.rows.slots
        if !current.isEmpty {
            rows.append([button(strings.keepSlotsButton(Self.list(current)), .keepSlots)])
        }
        rows.append([button(strings.cancelButton, .cancel)])
        return InlineKeyboardMarkup(inlineKeyboard: rows.filter { !$0.isEmpty })
    }

    /// Common time zones, two per row.
    func zones() -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(inlineKeyboard: rows.zones + [[button(strings.cancelButton, .cancel)]])
    }

    /// `/time`: each common time and each of the user's own, marked when held; a time-zone button.
    func timeMenu(current: [Slot]) -> InlineKeyboardMarkup {
        let all = Array(Set(options.commonSlots + current)).sorted()
        var rows = ChatKeyboardRows.chunks(all.map { slot in
            button((current.contains(slot) ? "✓ " : "") + slot.description, .toggleSlot(slot))
        }, 3)
        rows.append([button(strings.zoneButton, .chooseZone), button(strings.cancelButton, .cancel)])
        return InlineKeyboardMarkup(inlineKeyboard: rows)
    }

    /// One remove button per topic.
    func remove(_ topics: [Topic]) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(inlineKeyboard: topics.map { [button(strings.removeButton($0.name), .remove(topicHash: CallbackAction.hash($0)))] })
    }

    func undo(_ action: CallbackAction) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(inlineKeyboard: [[button(strings.undoButton, action)]])
    }

    func languages() -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(inlineKeyboard: [[button("English", .language(.en)), button("Русский", .language(.ru))]])
    }

    /// `08:00, 19:30`, or the localised "no times".
    func slotList(_ slots: [Slot]) -> String {
        slots.isEmpty ? strings.noSlots : Self.list(slots)
    }

    static func list(_ slots: [Slot]) -> String {
        slots.map(\.description).joined(separator: ", ")
    }

    /// `Europe/Berlin` → `Berlin`, offsets and UTC as they are.
    static func zoneLabel(_ zone: String) -> String {
        guard let slash = zone.lastIndex(of: "/") else { return zone }
        return String(zone[zone.index(after: slash)...]).replacing("_", with: " ")
    }

    // MARK: building blocks

    private func button(_ text: String, _ action: CallbackAction) -> InlineKeyboardButton {
        .callback(text, data: action.data)
    }

    private func grid(_ buttons: [InlineKeyboardButton], columns: Int, cancel: Bool) -> InlineKeyboardMarkup {
        var rows = ChatKeyboardRows.chunks(buttons, columns)
        if cancel { rows.append([button(strings.cancelButton, .cancel)]) }
        return InlineKeyboardMarkup(inlineKeyboard: rows)
    }
}

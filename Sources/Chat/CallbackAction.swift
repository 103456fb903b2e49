import Core
import Foundation
import Telegram

/// What an inline button asks for, as carried in its `callback_data`.
///
/// The encoding is short (`tp:python`, `sl:0800`, `rm:1a2b3c4d`) because Telegram allows at most
/// 64 bytes; topics, which may be 64 characters of Cyrillic, travel as a hash of their name and
/// are looked up among the user's topics when the button is pressed. Anything that does not
/// decode is treated as a stale button.
enum CallbackAction: Sendable, Hashable {
    /// `/subscribe`: a popular topic.
    case topic(Topic)
    /// `/subscribe`: a delivery time.
    case slot(Slot)
    /// `/subscribe`: keep the times the user already has.
    case keepSlots
    /// `/subscribe` or `/time`: a time zone (IANA name or `UTC` offset).
    case zone(String)
    /// `/time`: add or remove a delivery time.
    case toggleSlot(Slot)
    /// `/time`: open the time-zone choice.
    case chooseZone
    /// `/topics`: remove the topic with this name hash.
    case remove(topicHash: String)
    /// The summary's undo button: what `/subscribe` changed.
    case undo(topicHash: String, slot: Slot?, addedTopic: Bool, addedSlot: Bool, setZone: Bool)
    /// `/lang`: switch language.
    case language(Language)
    /// The cancel button of a flow's keyboard.
    case cancel

    var data: String {
        switch self {
        case .topic(let topic): "tp:" + topic.name
        case .slot(let slot): "sl:" + Self.compact(slot)
        case .keepSlots: "sl:keep"
        case .zone(let zone): "tz:" + zone
        case .toggleSlot(let slot): "ts:" + Self.compact(slot)
        case .chooseZone: "tm:zone"
        case .remove(let hash): "rm:" + hash
        case .undo(let hash, let slot, let addedTopic, let addedSlot, let setZone):
            "un:\(hash):\(slot.map(Self.compact) ?? "-"):" + (addedTopic ? "t" : "") + (addedSlot ? "s" : "") + (setZone ? "z" : "")
        case .language(let language): "lg:" + language.rawValue
        case .cancel: "cx"
        }
    }

    init?(data: String) {
        guard TelegramLimits.isValidCallbackData(data) else { return nil }
        if data == "cx" { self = .cancel; return }
        let parts = data.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let value = String(parts[1])
        switch parts[0] {
        case "tp":
            guard let topic = Topic(value) else { return nil }
            self = .topic(topic)
        case "sl":
            if value == "keep" { self = .keepSlots; return }
            guard let slot = Self.slot(value) else { return nil }
            self = .slot(slot)
        case "tz":
            guard let zone = TimeZoneName.canonical(value) else { return nil }
            self = .zone(zone)
        case "ts":
            guard let slot = Self.slot(value) else { return nil }
            self = .toggleSlot(slot)
        case "tm":
            guard value == "zone" else { return nil }
            self = .chooseZone
        case "rm":
            guard Self.isHash(value) else { return nil }
            self = .remove(topicHash: value)
        case "un":
            let fields = value.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, Self.isHash(String(fields[0])) else { return nil }
            let slot = fields[1] == "-" ? nil : Self.slot(String(fields[1]))
            guard fields[1] == "-" || slot != nil, fields[2].allSatisfy({ "tsz".contains($0) }) else { return nil }
            self = .undo(topicHash: String(fields[0]), slot: slot, addedTopic: fields[2].contains("t"),
                         addedSlot: fields[2].contains("s"), setZone: fields[2].contains("z"))
        case "lg":
            guard let language = Language(rawValue: value) else { return nil }
            self = .language(language)
        default:
            return nil
        }
    }

    /// The 8-hex-digit hash a topic travels as (FNV-1a over its normalised name).
    static func hash(_ topic: Topic) -> String {
        var value: UInt32 = 0x811C_9DC5
        for byte in topic.name.utf8 {
            value ^= UInt32(byte)
            value = value &* 0x0100_0193
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    private static func isHash(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// `0800` for 08:00.
    private static func compact(_ slot: Slot) -> String {
        let value = slot.hour * 100 + slot.minute
        return String(repeating: "0", count: value < 10 ? 3 : value < 100 ? 2 : value < 1000 ? 1 : 0) + String(value)
    }

    private static func slot(_ compact: String) -> Slot? {
        guard compact.utf8.count == 4, let value = Int(compact) else { return nil }
        return Slot(hour: value / 100, minute: value % 100)
    }
}

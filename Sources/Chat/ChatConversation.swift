import Core
import Foundation
import Telegram

/// One update applied to one chat: reads the subscriber, moves the FSM, writes the subscriber
/// store and collects the replies. It runs while the router holds the chat (in-process lock and
/// cross-process lease), so the read-modify-write steps here never interleave with another
/// update of the same chat. Sending is the router's job: this only decides what to say.
struct ChatConversation {
    let configuration: UpdateRouter.Configuration
    let keyboardRows: ChatKeyboardRows
    let store: any SubscriberStore
    let queue: any JobQueue
    let now: Date
    let chatID: Int64
    let user: User?
    var session: ChatSession
    var subscriber: Subscriber?
    var strings: ChatStrings
    /// Messages to send, in order.
    var replies: [Reply] = []
    /// The `answerCallbackQuery` text of a button press (nil: answer without text).
    var callbackAnswer: String?
    /// Whether `subscriber` was read from the store during this update, so `storedSubscriber`
    /// need not ask again (it asks when it came from the router's cache).
    private var askedStore: Bool

    /// - Parameter subscriberIsFresh: `subscriber` was read from the store for this update.
    init(configuration: UpdateRouter.Configuration, keyboardRows: ChatKeyboardRows, store: any SubscriberStore,
         queue: any JobQueue, now: Date, chatID: Int64, user: User?, session: ChatSession, subscriber: Subscriber?,
         subscriberIsFresh: Bool) {
        self.configuration = configuration
        self.keyboardRows = keyboardRows
        self.store = store
        self.queue = queue
        self.now = now
        self.chatID = chatID
        self.user = user
        self.session = session
        self.subscriber = subscriber
        self.askedStore = subscriberIsFresh
        self.strings = ChatStrings.forLanguage(subscriber?.language ?? Language(telegramCode: user?.languageCode))
    }

    var keyboards: ChatKeyboards { ChatKeyboards(strings: strings, options: configuration, rows: keyboardRows) }
    /// The subscriber's id: the Telegram user, or the chat when the sender is unknown.
    var userID: Int64 { user?.id ?? chatID }

    /// Applies a message or a button press; `my_chat_member` goes to `applyMembership`.
    mutating func apply(_ update: Update) async throws {
        let expired = session.flowExpired(at: now, ttl: configuration.flowTTL)
        if expired { session.finishFlow() }
        if let callback = update.callbackQuery {
            try await applyCallback(callback)
        } else if let message = update.message {
            try await applyMessage(message, flowExpired: expired)
        }
    }

    // MARK: messages

    private mutating func applyMessage(_ message: Message, flowExpired: Bool) async throws {
        guard let text = message.text, !text.trimmingWhitespace().isEmpty else {
            if session.step.isInFlow {
                session.flowTouchedAt = now
                say(strings.textExpected)
            } else {
                say(flowExpired ? strings.flowExpired : strings.idleText)
            }
            return
        }
        if let command = ChatCommand(text) {
            try await run(command)
        } else {
            try await input(text, flowExpired: flowExpired)
        }
    }

    private mutating func run(_ command: ChatCommand) async throws {
        if command.name == "cancel" {
            cancel()
            return
        }
        // Any other command leaves the flow in progress.
        session.finishFlow()
        switch command.name {
        case "start": try await start()
        case "help": say(strings.help)
        case "subscribe": try await subscribe(command.argument)
        case "topics", "list": showTopics()
        case "unsubscribe": try await unsubscribe(command.argument)
        case "time": try await showTimeMenu()
        case "pause": try await pause()
        case "resume": try await resume()
        case "digest": try await digest()
        case "lang", "language": try await language(command.argument)
        default: say(strings.unknownCommand)
        }
    }

    /// Typed text: the answer to the step in progress.
    private mutating func input(_ text: String, flowExpired: Bool) async throws {
        switch session.step {
        case .idle:
            say(flowExpired ? strings.flowExpired : strings.idleText)
        case .subscribeTopic:
            try await chooseTopic(text)
        case .subscribeSlot:
            guard let slot = Slot(text) else { return reprompt(strings.slotInvalid, keyboards.slots(current: subscriber?.slots ?? [])) }
            try await chooseSlot(slot)
        case .subscribeZone:
            guard let zone = TimeZoneName.canonical(text) else { return reprompt(strings.zoneInvalid, keyboards.zones()) }
            try await finishSubscription(zone: zone)
        case .timeMenu:
            if let slot = Slot(text) {
                try await toggle(slot)
            } else if let zone = TimeZoneName.canonical(text) {
                try await setZone(zone)
            } else {
                reprompt(strings.timeInvalid, keyboards.timeMenu(current: subscriber?.slots ?? []))
            }
        case .timeZone:
            guard let zone = TimeZoneName.canonical(text) else { return reprompt(strings.zoneInvalid, keyboards.zones()) }
            try await setZone(zone)
        case .language:
            guard let language = Self.language(named: text) else { return reprompt(strings.languageInvalid, keyboards.languages()) }
            try await setLanguage(language)
        }
    }

    /// `/cancel` (or a cancel button): leaves any flow.
    mutating func cancel() {
        if session.step.isInFlow {
            session.finishFlow()
            say(strings.cancelled)
        } else {
            say(strings.nothingToCancel)
        }
    }

    // MARK: helpers

    mutating func say(_ text: String, _ keyboard: InlineKeyboardMarkup? = nil) {
        replies.append(Reply(text, keyboard: keyboard))
    }

    /// Invalid input: a specific message, the step and its data kept.
    mutating func reprompt(_ text: String, _ keyboard: InlineKeyboardMarkup?) {
        session.flowTouchedAt = now
        say(text, keyboard)
    }

    /// The stored subscriber, nil when there is none. With none in hand the store is asked again:
    /// "no subscriber" may come from the router's cache, and a row made meanwhile elsewhere (a group
    /// chat, another process) must not be overwritten by a new one.
    mutating func storedSubscriber() async throws -> Subscriber? {
        if let subscriber { return subscriber }
        if askedStore { return nil }
        askedStore = true
        subscriber = try await store.subscriber(id: userID)
        return subscriber
    }

    /// The stored subscriber, or the one first use would create (not stored yet).
    mutating func storedOrNewSubscriber() async throws -> Subscriber {
        try await storedSubscriber() ?? newSubscriber
    }

    /// A new user's subscriber, in the language the bot speaks to them.
    private var newSubscriber: Subscriber { Subscriber(id: userID, chatID: chatID, language: strings.language) }

    /// The stored subscriber, created (and stored) on first use.
    mutating func ensureSubscriber() async throws -> Subscriber {
        if let stored = try await storedSubscriber() { return stored }
        let created = newSubscriber
        try await store.upsert(created)
        subscriber = created
        return created
    }

    /// Applies `change` to the stored subscriber, keeping topics and slots sorted and unique
    /// whatever the backend does. A user with none yet gets one written with the change already
    /// applied: one write instead of a create and a read-modify-write.
    @discardableResult
    mutating func updateSubscriber(_ change: @escaping @Sendable (inout Subscriber) -> Void) async throws -> Subscriber {
        let normalised: @Sendable (inout Subscriber) -> Void = { subscriber in
            change(&subscriber)
            subscriber.topics = Array(Set(subscriber.topics)).sorted()
            subscriber.slots = Array(Set(subscriber.slots)).sorted()
        }
        guard let stored = try await storedSubscriber() else {
            var created = newSubscriber
            normalised(&created)
            try await store.upsert(created)
            subscriber = created
            return created
        }
        let updated = try await store.update(id: stored.id, normalised)
        guard let updated else { throw NewsbotError(.notFound, "subscriber \(stored.id) vanished while being updated") }
        subscriber = updated
        return updated
    }

    /// The subscriber's zone as shown: the stored name, `UTC` while unset.
    var zoneName: String { subscriber?.timeZone ?? "UTC" }

    static func escape(_ text: String) -> String { TelegramHTML.escape(text) }

    static func language(named text: String) -> Language? {
        switch text.trimmingWhitespace().lowercased() {
        case "en", "english", "английский", "англ": .en
        case "ru", "russian", "русский", "рус": .ru
        default: nil
        }
    }
}

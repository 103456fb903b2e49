import Core

extension ChatStrings {
    /// English.
    static let english = ChatStrings(
        language: .en,
        welcome: { name in
            "Hi, \(name)! I send you a short news digest on the topics you choose, at the times you choose.\n\n"
                + "Send /subscribe to pick your first topic, or /help to see everything I can do."
        },
        welcomeBack: { name in "Welcome back, \(name)! Your digests are on. /topics shows what you follow." },
        welcomePaused: { name in "Welcome back, \(name)! Your digests are paused; /resume turns them back on." },
        help: """
            <b>What I can do</b>
            /subscribe — follow a topic
            /topics — your topics (tap to remove); also /list
            /unsubscribe <i>topic</i> — stop following a topic
            /time — change delivery times or time zone
            /pause, /resume — stop or restart digests
            /digest — send me a digest now
            /lang — English or Russian
            /cancel — leave what we are doing
            """,
        unknownCommand: "I don't know that command. /help lists the ones I do.",
        idleText: "To follow a topic, send /subscribe. /help lists everything I can do.",
        flowExpired: "That conversation timed out, so I forgot where we were. Send /subscribe to start again.",
        textExpected: "Please answer with text, or send /cancel to stop.",
        askTopic: "Which topic should I follow? Type any topic (for example <i>electric cars</i>) or pick one below.",
        topicInvalid: "A topic needs a few letters and can't start with “/”. Type a topic, or /cancel.",
        topicTooLong: { max in "That topic is too long: at most \(max) characters, please. Try a shorter one." },
        topicAlreadySubscribed: { topic in "You already follow <b>\(topic)</b>. Type another topic, or /cancel." },
        topicLimitReached: { max in
            "You follow \(max) topics, the most I can handle. Remove one with /topics first."
        },
        askSlot: { topic in
            "Topic: <b>\(topic)</b>. When should the digest arrive? Pick a time or type one as HH:MM (24-hour clock)."
        },
        keepSlotsButton: { slots in "Keep my times (\(slots))" },
        slotInvalid: "I need a time like 08:00 or 19:30 (24-hour clock). Pick one of the buttons or type it again.",
        slotLimitReached: { max in "You already have \(max) delivery times. Remove one with /time first." },
        askZone: "Which time zone are you in? Pick one, or type a zone like <i>Europe/Berlin</i> or an offset like <i>+3</i> or <i>UTC-05:30</i>.",
        zoneInvalid: "I don't know that time zone. Type a zone like Europe/Berlin, or an offset like +3 or UTC-05:30.",
        subscribed: { topic, slots, zone in
            "✅ Subscribed to <b>\(topic)</b>.\nDelivery: \(slots) (\(zone))."
        },
        nextDigestToday: { time in "Next digest: today at \(time)." },
        nextDigestTomorrow: { time in "Next digest: tomorrow at \(time)." },
        pausedNote: "Your digests are paused: /resume to get them.",
        undoButton: "↩︎ Undo",
        undone: { topic in "Undone: you no longer follow <b>\(topic)</b>." },
        nothingToUndo: "Nothing to undo any more.",
        topicsList: { topics, slots, zone in
            "<b>Your topics</b>\n" + topics.map { "• " + $0 }.joined(separator: "\n")
                + "\n\nDelivery: \(slots) (\(zone)). Tap a topic below to remove it."
        },
        noTopics: "You don't follow any topics yet. Send /subscribe to add one.",
        removeButton: { topic in "✖ " + topic },
        removed: { topic in "Removed <b>\(topic)</b>." },
        notSubscribed: { topic in "You don't follow <b>\(topic)</b>. /topics shows the topics you do follow." },
        timeMenu: { slots, zone in
            "Delivery: \(slots) (\(zone)).\nTap a time to add or remove it, type a time as HH:MM, or change the time zone."
        },
        timeInvalid: "Type a time like 08:00 to add or remove it, or a time zone like Europe/Berlin or +3. /cancel to stop.",
        zoneButton: "🌍 Time zone",
        slotAdded: { slot, slots in "Added \(slot). Delivery: \(slots)." },
        slotRemoved: { slot, slots in "Removed \(slot). Delivery: \(slots)." },
        zoneSet: { zone in "Time zone set to \(zone)." },
        noSlots: "no times",
        paused: "Paused. I won't send digests until you /resume.",
        alreadyPaused: "Your digests are already paused. /resume turns them back on.",
        resumed: "Resumed: your digests are on again.",
        alreadyActive: "Your digests are already on.",
        digestQueued: "On its way: your digest will arrive in a moment.",
        digestNoTopics: "There is nothing to send yet: /subscribe to a topic first.",
        digestTooSoon: { minutes in
            "You asked for a digest a moment ago. Please try again in \(minutes) minute\(minutes == 1 ? "" : "s")."
        },
        cancelled: "Cancelled. Nothing was changed.",
        nothingToCancel: "There is nothing to cancel.",
        cancelButton: "Cancel",
        chooseLanguage: "Choose a language:",
        languageSet: "Done: I'll speak English.",
        languageInvalid: "I speak English (en) and Russian (ru). Pick one below.",
        staleButton: "This button is no longer active.",
        done: "Done"
    )
}

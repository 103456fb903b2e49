import Core

extension ChatStrings {
    /// Russian.
    static let russian = ChatStrings(
        language: .ru,
        welcome: { name in
            "Привет, \(name)! Я присылаю короткую подборку новостей по выбранным темам в удобное вам время.\n\n"
                + "Отправьте /subscribe, чтобы выбрать первую тему, или /help — чтобы узнать, что я умею."
        },
        welcomeBack: { name in "С возвращением, \(name)! Подборки включены. /topics покажет ваши темы." },
        welcomePaused: { name in "С возвращением, \(name)! Подборки на паузе; /resume включит их снова." },
        help: """
            <b>Что я умею</b>
            /subscribe — подписаться на тему
            /topics — ваши темы (нажмите, чтобы удалить); также /list
            /unsubscribe <i>тема</i> — отписаться от темы
            /time — время доставки или часовой пояс
            /pause, /resume — остановить или возобновить подборки
            /digest — прислать подборку сейчас
            /lang — русский или английский
            /cancel — выйти из текущего диалога
            """,
        unknownCommand: "Такой команды я не знаю. /help — список команд.",
        idleText: "Чтобы подписаться на тему, отправьте /subscribe. /help — всё, что я умею.",
        flowExpired: "Диалог истёк, и я забыл, на чём мы остановились. Отправьте /subscribe, чтобы начать заново.",
        textExpected: "Пожалуйста, ответьте текстом или отправьте /cancel.",
        askTopic: "На какую тему подписаться? Напишите любую тему (например, <i>электромобили</i>) или выберите ниже.",
        topicInvalid: "Тема должна состоять из букв и не начинаться с «/». Напишите тему или /cancel.",
        topicTooLong: { max in "Слишком длинная тема: не больше \(max) символов. Попробуйте короче." },
        topicAlreadySubscribed: { topic in "Вы уже подписаны на <b>\(topic)</b>. Напишите другую тему или /cancel." },
        topicLimitReached: { max in
            "У вас уже \(max) \(Self.plural(max, "тема", "темы", "тем")) — это максимум. Сначала удалите одну через /topics."
        },
        askSlot: { topic in
            "Тема: <b>\(topic)</b>. Когда присылать подборку? Выберите время или напишите его как ЧЧ:ММ (24 часа)."
        },
        keepSlotsButton: { slots in "Оставить моё время (\(slots))" },
        slotInvalid: "Нужно время вида 08:00 или 19:30 (24 часа). Выберите кнопку или напишите время ещё раз.",
        slotLimitReached: { max in "У вас уже \(max) \(Self.plural(max, "время", "времени", "времён")) доставки. Сначала удалите одно через /time." },
        askZone: "В каком вы часовом поясе? Выберите или напишите пояс вида <i>Europe/Moscow</i> или смещение вида <i>+3</i> или <i>UTC-05:30</i>.",
        zoneInvalid: "Не знаю такого часового пояса. Напишите пояс вида Europe/Moscow или смещение вида +3 или UTC-05:30.",
        subscribed: { topic, slots, zone in
            "✅ Вы подписаны на <b>\(topic)</b>.\nДоставка: \(slots) (\(zone))."
        },
        nextDigestToday: { time in "Следующая подборка: сегодня в \(time)." },
        nextDigestTomorrow: { time in "Следующая подборка: завтра в \(time)." },
        pausedNote: "Подборки на паузе: /resume, чтобы получать их.",
        undoButton: "↩︎ Отменить",
        undone: { topic in "Отменено: вы больше не подписаны на <b>\(topic)</b>." },
        nothingToUndo: "Отменять уже нечего.",
        topicsList: { topics, slots, zone in
            "<b>Ваши темы</b>\n" + topics.map { "• " + $0 }.joined(separator: "\n")
                + "\n\nДоставка: \(slots) (\(zone)). Нажмите на тему ниже, чтобы удалить её."
        },
        noTopics: "Вы пока ни на что не подписаны. Отправьте /subscribe, чтобы добавить тему.",
        removeButton: { topic in "✖ " + topic },
        removed: { topic in "Тема <b>\(topic)</b> удалена." },
        notSubscribed: { topic in "Вы не подписаны на <b>\(topic)</b>. /topics покажет ваши темы." },
        timeMenu: { slots, zone in
            "Доставка: \(slots) (\(zone)).\nНажмите на время, чтобы добавить или убрать его, напишите время как ЧЧ:ММ или смените часовой пояс."
        },
        timeInvalid: "Напишите время вида 08:00, чтобы добавить или убрать его, или пояс вида Europe/Moscow или +3. /cancel — выйти.",
        zoneButton: "🌍 Часовой пояс",
        slotAdded: { slot, slots in "Добавлено \(slot). Доставка: \(slots)." },
        slotRemoved: { slot, slots in "Убрано \(slot). Доставка: \(slots)." },
        zoneSet: { zone in "Часовой пояс: \(zone)." },
        noSlots: "время не выбрано",
        paused: "Пауза. Я не буду присылать подборки, пока вы не отправите /resume.",
        alreadyPaused: "Подборки уже на паузе. /resume включит их снова.",
        resumed: "Готово: подборки снова включены.",
        alreadyActive: "Подборки уже включены.",
        digestQueued: "Уже готовлю: подборка придёт через минуту.",
        digestNoTopics: "Пока нечего присылать: сначала подпишитесь на тему через /subscribe.",
        digestTooSoon: { minutes in
            "Вы только что запрашивали подборку. Попробуйте через \(minutes) \(Self.plural(minutes, "минуту", "минуты", "минут"))."
        },
        cancelled: "Отменено. Ничего не изменилось.",
        nothingToCancel: "Отменять нечего.",
        cancelButton: "Отмена",
        chooseLanguage: "Выберите язык:",
        languageSet: "Готово: говорю по-русски.",
        languageInvalid: "Я говорю по-русски (ru) и по-английски (en). Выберите ниже.",
        staleButton: "Эта кнопка уже неактуальна.",
        done: "Готово"
    )

    /// Russian plural form for `count`: 1 минута, 2 минуты, 5 минут (11–14 take the last form).
    static func plural(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        let n = abs(count) % 100
        if (11...14).contains(n) { return many }
        switch n % 10 {
        case 1: return one
        case 2, 3, 4: return few
        default: return many
        }
    }
}

import Core

extension UpdateRouter {
    /// How the chat front behaves; defaults suit production. Only the executable reads the
    /// environment and fills this in.
    public struct Configuration: Sendable {
        /// A half-finished flow (say `/subscribe` waiting for a time) is forgotten after this long
        /// without an answer.
        public var flowTTL: Duration
        /// How long a chat's stored record (last update id, `/digest` cooldown) lives without
        /// activity. Longer than Telegram keeps undelivered updates (24 h), so a redelivered
        /// update is always recognised by the chat's `lastUpdateID` (the router's only update
        /// de-duplication: a separate `update_id` record would cost a round trip and skip nothing
        /// more).
        public var recordTTL: Duration
        /// How long a process may hold a chat while applying one update; a process that dies
        /// holding it blocks the chat for at most this long.
        public var leaseDuration: Duration
        /// How long an update waits for another process to finish with the same chat before the
        /// webhook answers 503 (Telegram then redelivers it).
        public var leaseWait: Duration
        public var maxTopics: Int
        /// Characters of a normalised topic.
        public var maxTopicLength: Int
        public var maxSlots: Int
        /// Least time between two accepted `/digest` requests of one chat.
        public var digestCooldown: Duration
        /// The popular topics offered by `/subscribe`, per language.
        public var popularTopics: [Language: [Topic]]
        /// The delivery times offered as buttons.
        public var commonSlots: [Slot]
        /// The time zones offered as buttons (IANA names or `UTC±HH:MM`).
        public var commonTimeZones: [String]
        public var replyLimits: ReplyLimits
        /// Attempts per reply on 429, 5xx, timeouts and network errors.
        public var replyAttempts: Int
        /// The longest 429 `retry_after` a reply waits for; longer ones give up on that reply.
        public var maxReplyRetryAfter: Duration
        /// How long a private chat may show the subscriber as this process last saw it without
        /// reading the store (`SubscriberCache`); `.zero` reads it for every update.
        public var subscriberCacheAge: Duration

        public init(
            flowTTL: Duration = .seconds(3600), recordTTL: Duration = .seconds(48 * 3600),
            leaseDuration: Duration = .seconds(30),
            leaseWait: Duration = .seconds(10), maxTopics: Int = 10, maxTopicLength: Int = 64, maxSlots: Int = 6,
            digestCooldown: Duration = .seconds(600),
            popularTopics: [Language: [Topic]] = Configuration.defaultPopularTopics,
            commonSlots: [Slot] = Configuration.defaultSlots,
            commonTimeZones: [String] = Configuration.defaultTimeZones,
            replyLimits: ReplyLimits = ReplyLimits(), replyAttempts: Int = 3,
            maxReplyRetryAfter: Duration = .seconds(5), subscriberCacheAge: Duration = .seconds(30)
        ) {
            self.flowTTL = flowTTL
            self.recordTTL = max(recordTTL, flowTTL, digestCooldown)
            self.leaseDuration = leaseDuration
            self.leaseWait = leaseWait
            self.maxTopics = max(1, maxTopics)
            self.maxTopicLength = max(1, maxTopicLength)
            self.maxSlots = max(1, maxSlots)
            self.digestCooldown = digestCooldown
            self.popularTopics = popularTopics
            self.commonSlots = commonSlots.sorted()
            self.commonTimeZones = commonTimeZones
            self.replyLimits = replyLimits
            self.replyAttempts = max(1, replyAttempts)
            self.maxReplyRetryAfter = maxReplyRetryAfter
            self.subscriberCacheAge = max(subscriberCacheAge, .zero)
        }

        public static let defaultPopularTopics: [Language: [Topic]] = [
            .en: ["technology", "science", "business", "politics", "sports", "health", "climate", "ai"].compactMap(Topic.init),
            .ru: ["технологии", "наука", "экономика", "политика", "спорт", "здоровье", "климат", "ии"].compactMap(Topic.init),
        ]

        public static let defaultSlots: [Slot] = ["07:00", "08:00", "09:00", "12:00", "18:00", "21:00"].compactMap { Slot($0) }

        public static let defaultTimeZones = [
            "Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Dubai", "Asia/Kolkata", "Asia/Tokyo",
            "America/New_York", "America/Chicago", "America/Los_Angeles", "UTC",
        ]

        /// The popular topics for `language`, English ones when it has none.
        func popularTopics(for language: Language) -> [Topic] {
            popularTopics[language] ?? popularTopics[.en] ?? []
        }
    }
}

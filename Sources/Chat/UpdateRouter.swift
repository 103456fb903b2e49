import Core
import Foundation
import Logging
import Metrics
import Telegram

/// Applies Telegram updates to conversations: the one entry point of the chat front, shared by
/// the webhook route and the long poller.
///
/// Per update: the chat is held in-process (`ChatSerializer`), then claimed across processes in
/// one step of the conversation-state store (`claim`: an update at or below the chat's
/// `lastUpdateID` is skipped — the chat's state is the record of which updates were applied, for
/// longer than Telegram redelivers —, a live lease of another process makes it wait, otherwise
/// the lease is written with compare-and-set and the state returned); then the conversation is
/// moved, its replies sent, and the new state saved with the lease's version, which releases the
/// lease. On Redis that is two round trips of the state store per update, and the first reply's
/// per-chat token is taken inside the claim (`claim(…taking:)`) instead of in a third (an update
/// that ends up sending nothing has then spent a token: the limit errs on the safe side). So two
/// webhook processes never interleave one chat's updates, an update is applied at most once, and
/// an older update arriving after a newer one was applied is skipped rather than applied out of
/// order.
///
/// A process that dies while applying leaves the lease to expire (`leaseDuration`); Telegram
/// redelivers the update (the webhook had not answered), and it is applied then, since its
/// `lastUpdateID` was never saved. Subscriber-store writes are idempotent, so a repeat is
/// harmless; a reply may then be sent twice, which beats never.
public final class UpdateRouter: Sendable {
    public let configuration: Configuration
    private let telegram: any TelegramAPI
    private let store: any SubscriberStore
    private let queue: any JobQueue
    private let states: any ConversationStateStore
    private let clock: any NewsbotClock
    private let logger: Logger
    private let sender: ReplySender
    private let serializer = ChatSerializer()
    private let subscribers: SubscriberCache
    private let keyboardRows: ChatKeyboardRows
    /// Names this router in leases, so a stale lease is traceable to its process.
    private let instanceID: String
    /// A chat's state before its first update: the same for every claim, so made once.
    private static let freshState = ChatSession().state

    public init(configuration: Configuration = Configuration(), telegram: any TelegramAPI, store: any SubscriberStore,
                queue: any JobQueue, states: any ConversationStateStore,
                limiter: any RateLimiter, clock: any NewsbotClock = SystemClock(),
                logger: Logger = Logger(label: "newsbot.chat")) {
        self.configuration = configuration
        self.telegram = telegram
        self.store = store
        self.queue = queue
        self.states = states
        self.clock = clock
        self.logger = logger
        self.sender = ReplySender(telegram: telegram, limiter: limiter, configuration: configuration, logger: logger)
        self.subscribers = SubscriberCache(maxAge: configuration.subscriberCacheAge)
        self.keyboardRows = ChatKeyboardRows(configuration)
        self.instanceID = String(UInt32.random(in: .min ... .max), radix: 36)
    }

    /// Applies one update; returns once it is applied (replies sent, state saved) or skipped.
    /// Throws when it could not be applied and should be delivered again (storage failure,
    /// `ChatError.chatBusy`).
    public func handle(_ update: Update) async throws -> UpdateOutcome {
        guard update.message != nil || update.callbackQuery != nil || update.myChatMember != nil,
              let chatID = update.chatID else {
            return counted(.ignored)
        }
        let started = ContinuousClock.now
        let outcome = try await serializer.run(chatID) { try await applyHoldingChat(update, chatID: chatID) }
        if outcome == .applied { ChatMetrics.apply.recordNanoseconds(Int64((ContinuousClock.now - started).timeInterval * 1e9)) }
        return counted(outcome)
    }

    /// Claims the chat (waiting for another process's lease), applies, saves.
    private func applyHoldingChat(_ update: Update, chatID: Int64) async throws -> UpdateOutcome {
        let waitDeadline = ContinuousClock.now + configuration.leaseWait
        var pause = Duration.milliseconds(5)
        // A message or button press is answered, so its reply's chat token rides with the claim.
        let buckets = sender.limits.buckets(forChat: chatID)
        let replyBuckets = update.myChatMember == nil ? buckets.chat : []
        while true {
            let now = clock.now()
            let lease = ConversationLease(owner: "\(instanceID)/\(update.updateID)",
                                          until: now.addingTimeInterval(configuration.leaseDuration.timeInterval))
            let (claim, tokenTaken) = try await states.claim(chatID: chatID, updateID: update.updateID, lease: lease,
                                                             fresh: Self.freshState, now: now, ttl: configuration.recordTTL,
                                                             taking: replyBuckets)
            switch claim {
            case .applied(let last):
                return update.updateID == last ? .duplicate : .outdated
            case .busy:
                guard ContinuousClock.now < waitDeadline else { throw ChatError.chatBusy(chatID: chatID) }
                ChatMetrics.leaseWaits.increment()
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(200))
            case .claimed(let leased):
                var session = ChatSession(leased.state)
                do {
                    try await apply(update, chatID: chatID, session: session, leasedVersion: leased.version,
                                    buckets: buckets, chatTokenTaken: tokenTaken)
                } catch {
                    session.lease = nil
                    _ = try? await states.save(session.state, chatID: chatID, expectedVersion: leased.version,
                                               ttl: configuration.recordTTL)
                    throw error
                }
                return .applied
            }
        }
    }

    /// - Parameters:
    ///   - buckets: the replies' rate buckets (`ReplyLimits.buckets(forChat:)`), made once per update.
    ///   - chatTokenTaken: the claim took the first reply's chat token.
    private func apply(_ update: Update, chatID: Int64, session: ChatSession, leasedVersion: Int64,
                       buckets: (bot: [RateBucket], chat: [RateBucket]), chatTokenTaken: Bool) async throws {
        let user = update.sender
        let userID = user?.id ?? chatID
        // In a private chat the user is the chat, so the chat's updates are the user's.
        let cacheable = userID == chatID
        let known = try await subscriber(userID, of: update, cacheable: cacheable, session: session)
        var conversation = ChatConversation(
            configuration: configuration, keyboardRows: keyboardRows, store: store, queue: queue, now: clock.now(),
            chatID: chatID, user: user, session: session, subscriber: known.subscriber, subscriberIsFresh: known.fresh)
        do {
            if let member = update.myChatMember {
                try await conversation.applyMembership(member)
            } else {
                try await conversation.apply(update)
            }
            if let callback = update.callbackQuery {
                await sender.answer(callbackQueryID: callback.id, text: conversation.callbackAnswer)
            }
            for (index, reply) in conversation.replies.enumerated() {
                if try await sender.send(reply, to: chatID, buckets: buckets,
                                         chatTokenTaken: chatTokenTaken && index == 0) == .recipientGone {
                    conversation.subscriber = try await store.update(id: userID) { $0.status = .blocked }
                    break
                }
            }
        } catch {
            subscribers.forget(userID)
            throw error
        }
        var next = conversation.session
        next.lease = nil
        next.lastUpdateID = update.updateID
        if try await states.save(next.state, chatID: chatID, expectedVersion: leasedVersion, ttl: configuration.recordTTL) == nil {
            subscribers.forget(userID)
            logger.warning("chat: lease expired while applying an update; another process may have taken the chat over",
                           metadata: ["telegram.chat_id": "\(chatID)", "telegram.update_id": "\(update.updateID)"])
        } else if cacheable {
            subscribers.store(conversation.subscriber, chatID: chatID, updateID: update.updateID)
        } else {
            // A group's update may have changed the user's subscriber behind their private chat's entry.
            subscribers.forget(userID)
        }
    }

    /// The subscriber the update works on: from the cache when it can vouch for it, from the store
    /// for decisions that must see changes made outside the chat front (`/start` re-activating a
    /// user the delivery stage marked blocked, `my_chat_member`).
    /// `fresh`: read from the store now.
    private func subscriber(_ userID: Int64, of update: Update, cacheable: Bool,
                            session: ChatSession) async throws -> (subscriber: Subscriber?, fresh: Bool) {
        let mustRead = update.myChatMember != nil || Self.isStart(update.message?.text)
        if cacheable, !mustRead, let known = subscribers.subscriber(chatID: userID, lastUpdateID: session.lastUpdateID) {
            ChatMetrics.subscriberCacheHits.increment()
            return (known, false)
        }
        return (try await store.subscriber(id: userID), true)
    }

    /// `/start` (or `/start@bot`, with or without an argument); a byte test of a text that starts
    /// in ASCII keeps other commands and plain text from being parsed twice.
    static func isStart(_ text: String?) -> Bool {
        guard let text else { return false }
        let bytes = text.utf8.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
        if let first = bytes.first, first < 0x80 {
            // Case-folded ASCII: `/START` is the same command.
            guard first == UInt8(ascii: "/"), bytes.dropFirst().prefix(5).lazy.map({ $0 | 0x20 }).elementsEqual("start".utf8) else {
                return false
            }
        }
        return ChatCommand(text)?.name == "start"
    }

    private func counted(_ outcome: UpdateOutcome) -> UpdateOutcome {
        ChatMetrics.updates(outcome).increment()
        return outcome
    }
}

import Core
import Foundation
import NIOCore
import Telegram

/// One load client of `loadtest webhook`: a keep-alive connection that posts its updates one
/// after another and each only once the one before was answered, as Telegram does on a webhook
/// connection, driven entirely on the connection's event loop.
///
/// Why not `PipelinedHTTPClient.post` per update: that costs two task hops (to the event loop and
/// back) per post, ~0.08 ms of CPU per update in all, and on 2 shared cores every microsecond the
/// harness spends is one the front under test does not get. Here a post is a write of bytes encoded
/// before the clock started and an answer is parsed where it is read.
///
/// A 503 is posted again after its `Retry-After` (1 s when absent), like Telegram; the latency still
/// counts from the first attempt, since that is what the user waits. Any other status is a failure
/// of that update, and the next one goes out. If the connection closes or fails, every update not
/// yet answered is a failure: the run reports them and exits non-zero.
final class LoadtestWebhookClient: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// One update: its chat, and the whole HTTP request that posts it.
    struct Post: Sendable {
        let chatID: Int64
        let request: ByteBuffer
    }

    private let posts: [Post]
    private let finished: EventLoopPromise<LoadtestWebhookCommand.ClientResult>
    private var responses = HTTPResponseParser(maxBodyBytes: 64 * 1024)
    private var result = LoadtestWebhookCommand.ClientResult()
    /// The post waiting for its answer (`posts.count` once all are answered).
    private var current = 0
    private var firstAttempt = ContinuousClock.now
    private var isFinished = false

    init(posts: [Post], finished: EventLoopPromise<LoadtestWebhookCommand.ClientResult>) {
        self.posts = posts
        self.finished = finished
        result.sent.reserveCapacity(posts.count)
        result.answered.reserveCapacity(posts.count)
    }

    func channelActive(context: ChannelHandlerContext) {
        postCurrent(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        responses.append(unwrapInboundIn(data))
        do {
            while let (response, closes) = try responses.next() {
                answered(response, context: context)
                if closes {
                    return fail("the webhook closed the connection", context: context)
                }
            }
        } catch {
            fail("unreadable answer: \(error)", context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail("connection closed", context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail("\(error)", context: context)
    }

    private func answered(_ response: PipelinedHTTPResponse, context: ChannelHandlerContext) {
        guard !isFinished, current < posts.count else { return }
        switch response.status {
        case 200:
            result.accepted += 1
            result.answered.append((ContinuousClock.now - firstAttempt).timeInterval)
        case 503:
            result.unavailable += 1
            let retry = posts[current].request
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: .seconds(Int64(response.retryAfter ?? 1))) {
                guard !self.isFinished else { return }
                context.writeAndFlush(self.wrapOutboundOut(retry), promise: nil)
            }
            return
        default:
            result.failures.append("HTTP \(response.status)")
        }
        current += 1
        postCurrent(context)
    }

    /// Posts the current update for the first time, or finishes when none is left.
    private func postCurrent(_ context: ChannelHandlerContext) {
        guard current < posts.count else {
            finish()
            context.close(promise: nil)
            return
        }
        firstAttempt = .now
        result.sent.append((posts[current].chatID, Date()))
        context.writeAndFlush(wrapOutboundOut(posts[current].request), promise: nil)
    }

    /// Every update not yet answered fails with `reason`.
    private func fail(_ reason: String, context: ChannelHandlerContext) {
        guard !isFinished else { return }
        result.failures += Array(repeating: reason, count: posts.count - current)
        current = posts.count
        finish()
        context.close(promise: nil)
    }

    private func finish() {
        guard !isFinished else { return }
        isFinished = true
        finished.succeed(result)
    }
}

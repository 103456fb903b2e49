import NIOCore

/// A command written on a `RedisConnection` whose reply has not come yet: who waits for it, and
/// until when (the command timeout, counted from when it was written).
struct RedisReplyWaiter {
    let continuation: CheckedContinuation<RedisValue, any Error>
    let deadline: NIODeadline
}

/// `.memory` factories so call sites read alike across backends (`.sqlite(…)`, `.rabbitMQ(…)`).
extension JobQueue where Self == MemoryJobQueue {
    public static var memory: MemoryJobQueue { MemoryJobQueue() }
}

extension SubscriberStore where Self == MemorySubscriberStore {
    public static var memory: MemorySubscriberStore { MemorySubscriberStore() }
}

extension NewsCache where Self == MemoryNewsCache {
    public static var memory: MemoryNewsCache { MemoryNewsCache() }
}

extension RateLimiter where Self == MemoryRateLimiter {
    public static var memory: MemoryRateLimiter { MemoryRateLimiter() }
}

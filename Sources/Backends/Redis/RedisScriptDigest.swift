import Synchronization

/// A script's `SCRIPT LOAD` digest once some client learned it. A server that has not seen the
/// script (another server, or one restarted) answers NOSCRIPT to it, and the client loads the
/// script there and retries, so a digest learned from one server is safe to try on any.
final class RedisScriptDigest: Sendable {
    private let known = Mutex<String?>(nil)

    var value: String? {
        get { known.withLock { $0 } }
        set { known.withLock { $0 = newValue } }
    }
}

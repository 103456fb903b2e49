import Core
import Foundation

/// How a stage job's error is treated by the `RetryStrategy`: a payload no version of newsbot
/// wrote or a reference to something that does not exist will never succeed (dead-letter at
/// once); a source asking us to slow down waits without using an attempt; anything else
/// (store, cache or network trouble) is retried with backoff.
enum StageFailure {
    static func kind(of error: any Error) -> FailureKind {
        switch error {
        case is DecodingError:
            return .permanent
        case let error as NewsbotError:
            switch error.code {
            case .invalidInput, .notFound, .configuration: return .permanent
            default: return .transient
            }
        case let error as NewsSourceError:
            if case .rateLimited(let retryAfter) = error, let retryAfter { return .rateLimited(retryAfter: retryAfter) }
            return error.isRetriable ? .transient : .permanent
        default:
            return .transient
        }
    }
}

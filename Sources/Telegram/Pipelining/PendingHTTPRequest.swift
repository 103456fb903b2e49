import NIOCore

/// A request written on a `PipelinedHTTPConnection` whose answer has not arrived yet. A nil
/// `promise` marks one its caller gave up on (timeout, cancellation): its answer still comes
/// in its turn and is dropped, so the answers behind it stay matched to their requests.
struct PendingHTTPRequest {
    var promise: EventLoopPromise<PipelinedHTTPResponse>?
    var deadline: NIODeadline
}

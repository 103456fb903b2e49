/// How a request on a `PipelinedHTTPClient` failed. Carries no URL, header or body, so the
/// bot token in the request path cannot leak through it.
package enum PipelinedHTTPError: Error, Sendable, Hashable {
    /// No complete answer before the request's deadline.
    case timeout
    /// The connection could not be opened (`timedOut`: the connect timeout ran out).
    case connectFailed(timedOut: Bool)
    /// The connection closed while the request was in flight: the server may have processed it.
    case connectionLost
    /// The request never reached a server that would process it (the connection was already
    /// closing, or the server announced `Connection: close` on an earlier answer): safe to
    /// send again on another connection.
    case notSent
    /// The answer's body is larger than the configured limit.
    case responseTooLarge
    /// Bytes that are not an HTTP/1.1 response.
    case malformedResponse
}

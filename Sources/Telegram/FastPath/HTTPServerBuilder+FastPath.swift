import HummingbirdCore

extension HTTPServerBuilder {
    /// HTTP/1 with `exchange` (one per connection) answering requests ahead of Hummingbird.
    public static func http1(fastPath exchange: @escaping @Sendable () -> any FastPathExchange,
                             configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FastPathHTTP1Channel(responder: responder, configuration: configuration, exchange: exchange)
        }
    }
}

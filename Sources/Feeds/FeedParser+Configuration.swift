extension FeedParser {
    /// Per-feed limits. A feed is untrusted input: these bound the memory and time one
    /// source can take from a slot run.
    public struct Configuration: Sendable, Hashable {
        /// Inputs longer than this are refused before parsing (`FeedError.Kind.tooLarge`).
        public var maxBytes: Int
        /// Items after this many are ignored, with a warning.
        public var maxItems: Int
        /// Wall-clock budget for one parse (`FeedError.Kind.timeLimit`).
        public var timeLimit: Duration

        public init(maxBytes: Int = 8 << 20, maxItems: Int = 500, timeLimit: Duration = .seconds(5)) {
            // libxml2 takes the buffer length as a C int.
            self.maxBytes = min(max(0, maxBytes), Int(Int32.max))
            self.maxItems = max(0, maxItems)
            self.timeLimit = timeLimit
        }
    }
}

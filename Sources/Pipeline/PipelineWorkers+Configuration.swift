import Core

extension PipelineWorkers {
    /// Which stages this process runs and how many jobs of each it holds at once.
    public struct Configuration: Sendable {
        /// `newsbot worker --stages …`; `deliver` needs a `DeliveryWorker`.
        public var stages: Set<PipelineStage>
        /// Trigger and render jobs handled at once (`--concurrency N`). Render chunks are CPU
        /// work plus store round trips: about the number of cores is right.
        public var concurrency: Int
        /// Fetch jobs at once: mostly waiting on news sources, so more than the cores.
        public var fetchConcurrency: Int
        /// Failed trigger, fetch and render jobs: backoff with jitter, then dead-letter.
        public var retry: RetryStrategy
        /// How long an idle consumer waits in `receive` (and how fast it notices a shutdown).
        public var receiveWait: Duration
        /// Users per render job when a trigger job starts a run.
        public var coordinator: SlotRunCoordinator.Configuration

        public init(stages: Set<PipelineStage> = Set(PipelineStage.allCases), concurrency: Int = 2, fetchConcurrency: Int = 8,
                    retry: RetryStrategy = .exponentialJitter(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(60)),
                    receiveWait: Duration = .milliseconds(250), coordinator: SlotRunCoordinator.Configuration = .init()) {
            self.stages = stages
            self.concurrency = max(1, concurrency)
            self.fetchConcurrency = max(1, fetchConcurrency)
            self.retry = retry
            self.receiveWait = receiveWait
            self.coordinator = coordinator
        }
    }
}

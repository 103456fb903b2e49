import NIOCore

/// Runs a task's jobs on one NIO event loop, as a task executor preference.
///
/// Why: a task started for a webhook request on loop L, whose Redis and Telegram connections also
/// live on L, is resumed by their replies where they are read, without handing each resumption
/// to another thread (a wake-up and a context switch per await otherwise).
package final class EventLoopTaskExecutor: TaskExecutor {
    package let eventLoop: any EventLoop

    package init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

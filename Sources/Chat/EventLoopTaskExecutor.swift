import NIOCore

/// Runs a task's jobs on one NIO event loop: a webhook update is applied on the loop that read
/// it, so its awaits on NIO futures (the reply's `sendMessage`, PostgreSQL) resume on the thread
/// already running instead of waking the global executor's threads and hopping back.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

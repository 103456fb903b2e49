import Core
import Foundation
@testable import PostgresBackend
import Synchronization
import Testing

/// The routing logic that needs no server: lag estimation, round-robin, the read-your-writes
/// watermark and the deadline race.
@Suite("Postgres routing logic")
struct PostgresRoutingTests {
    let start = ContinuousClock.now

    @Test func lagIsUnknownBeforeAnySample() {
        let estimator = PostgresLagEstimator(retention: .seconds(30))
        #expect(estimator.lag(replayLSN: 100, now: start) == nil)
    }

    @Test func lagIsZeroWhenTheReplicaHasEverythingSeen() {
        var estimator = PostgresLagEstimator(retention: .seconds(30))
        estimator.record(primaryLSN: 100, at: start)
        estimator.record(primaryLSN: 100, at: start + .seconds(60))
        // An idle primary for a minute is not lag.
        #expect(estimator.lag(replayLSN: 100, now: start + .seconds(61)) == .zero)
        #expect(estimator.lag(replayLSN: 150, now: start + .seconds(61)) == .zero)
    }

    @Test func lagCountsFromWhenThePrimaryFirstHadMissingWAL() {
        var estimator = PostgresLagEstimator(retention: .seconds(30))
        estimator.record(primaryLSN: 100, at: start)
        estimator.record(primaryLSN: 200, at: start + .seconds(1))
        estimator.record(primaryLSN: 300, at: start + .seconds(2))
        #expect(estimator.lag(replayLSN: 250, now: start + .seconds(5)) == .seconds(3))
        #expect(estimator.lag(replayLSN: 150, now: start + .seconds(5)) == .seconds(4))
        #expect(estimator.lag(replayLSN: 50, now: start + .seconds(5)) == .seconds(5))
        #expect(estimator.latestPrimaryLSN == 300)
    }

    @Test func oldSamplesArePrunedButAFarBehindReplicaStillLags() {
        var estimator = PostgresLagEstimator(retention: .seconds(10))
        for second in 0...60 { estimator.record(primaryLSN: Int64(second + 1) * 10, at: start + .seconds(second)) }
        #expect(estimator.samples.count <= 11)
        // Behind everything kept: at least the retention window.
        let lag = estimator.lag(replayLSN: 0, now: start + .seconds(60))
        #expect(lag.map { $0 >= .seconds(10) } == true)
        // The newest sample survives any pause.
        estimator.record(primaryLSN: 5000, at: start + .seconds(600))
        #expect(estimator.samples.count == 1)
        #expect(estimator.lag(replayLSN: 610, now: start + .seconds(601)) == .seconds(1))
    }

    @Test func replicasAreTakenRoundRobin() {
        var state = PostgresRoutingState(lagRetention: .seconds(10))
        #expect(state.rotation(count: 3) == [0, 1, 2])
        #expect(state.rotation(count: 3) == [1, 2, 0])
        #expect(state.rotation(count: 3) == [2, 0, 1])
        #expect(state.rotation(count: 3) == [0, 1, 2])
        #expect(state.rotation(count: 0) == [])
    }

    @Test func watermarkIsRefetchedAfterEveryNewWrite() {
        var state = PostgresRoutingState(lagRetention: .seconds(10))
        // None at start: the first replica read learns the primary's position of that moment.
        #expect(state.watermark().lsn == nil)
        state.setWatermark(100, generation: state.watermark().pendingGeneration)
        #expect(state.watermark().lsn == 100)
        state.noteWrite()
        let pending = state.watermark()
        #expect(pending.lsn == nil)
        // A write that finishes while the watermark is fetched needs another fetch.
        state.noteWrite()
        state.setWatermark(500, generation: pending.pendingGeneration)
        #expect(state.watermark().lsn == nil)
        state.setWatermark(700, generation: state.watermark().pendingGeneration)
        #expect(state.watermark().lsn == 700)
        // Never moves backwards.
        state.setWatermark(300, generation: state.watermark().pendingGeneration)
        #expect(state.watermark().lsn == 700)
    }

    @Test func deadlineReturnsTheResultOrThrowsItsError() async throws {
        let value = try await PostgresDeadline<Int>.run(limit: .seconds(5), what: "test") { 42 }
        #expect(value == 42)
        await #expect(throws: NewsbotError.self) {
            try await PostgresDeadline<Int>.run(limit: .seconds(5), what: "test") {
                throw NewsbotError(.storage, "boom")
            }
        }
    }

    @Test func deadlineDoesNotWaitForAnOperationThatIgnoresCancellation() async throws {
        let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let started = ContinuousClock.now
        await #expect {
            try await PostgresDeadline<Int>.run(limit: .milliseconds(100), what: "stuck read") {
                // Like a query on a dead socket: cancellation does not end it.
                await withCheckedContinuation { continuation in release.withLock { $0 = continuation } }
                return 1
            }
        } throws: { error in
            (error as? NewsbotError)?.code == .timeout
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        release.withLock { $0?.resume() }
    }
}

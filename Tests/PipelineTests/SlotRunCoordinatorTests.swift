import Core
import Foundation
import Stages
import Testing
@testable import Pipeline

@Suite("SlotRunCoordinator")
struct SlotRunCoordinatorTests {
    let run = SlotRunWorld.run

    /// Everything now on `queue`, decoded (taken off the queue).
    private func drain(_ queue: any JobQueue, _ name: QueueName) async throws -> [ReceivedJob] {
        try await queue.receive(from: name, max: 10_000, wait: .zero)
    }

    private func renderChunks(_ queue: any JobQueue) async throws -> [[Int64]] {
        try await drain(queue, .render).map { job in
            guard case .render(let key, let ids) = try PipelineJob(decoding: job.payload), key == run else {
                Issue.record("not a render job of the run")
                return []
            }
            return ids
        }
    }

    @Test func triggerCreatesOnceAndATriggerAgainResumesWithoutDoubling() async throws {
        let world = try await SlotRunWorld.make(.memory)
        let coordinator = world.coordinator(renderChunk: 25)
        let due = SlotRunWorld.due
        let pairs = Set(due.flatMap(TopicLanguage.pairs(of:)))

        let first = try await coordinator.trigger(run)
        #expect(first.created)
        #expect(first.usersDue == due.count && first.usersAdded == due.count)
        #expect(first.fetchJobs == pairs.count)
        #expect(first.renderJobs == (due.count + 24) / 25)
        let fetches = try await drain(world.queue, .fetch).map { try PipelineJob(decoding: $0.payload) }
        #expect(Set(fetches) == Set(pairs.map { PipelineJob.fetch(pipeline: "daily", topic: $0.topic, language: $0.language) }))
        let chunks = try await renderChunks(world.queue)
        #expect(chunks.flatMap { $0 } == due.map(\.id), "every due user once, in id order")
        #expect(chunks.allSatisfy { $0.count <= 25 })

        let again = try await coordinator.trigger(run)
        #expect(!again.created)
        #expect(again.usersDue == due.count && again.usersAdded == 0)
        #expect(again.fetchJobs == 0)
        #expect(try await renderChunks(world.queue).flatMap { $0 } == due.map(\.id), "nothing rendered yet: all pending again")
        let stored = try #require(try await world.store.run(run))
        #expect(stored.counts.usersDue == due.count, "users added once")
        #expect(try await world.store.runs(limit: 10).count == 1, "one run")
    }

    @Test func resumeEnqueuesOnlyPendingUsersAndUndeliveredMessages() async throws {
        let world = try await SlotRunWorld.make(.memory)
        let coordinator = world.coordinator(renderChunk: 25)
        try await coordinator.trigger(run)
        _ = try await drain(world.queue, .render)
        _ = try await drain(world.queue, .fetch)

        // The first 30 due users were rendered (one message each); 10 of those were delivered.
        let due = SlotRunWorld.due.map(\.id)
        let rendered = Array(due.prefix(30))
        _ = try await world.store.saveDigestMessages(rendered.map { id in
            DigestMessage(key: DeliveryKey(userID: id, slot: run.slot, date: run.date, part: 1), run: run, chatID: 1000 + id,
                          parts: 1, text: "digest \(id)", urls: [])
        })
        try await world.store.setRunUserOutcomes(run, Dictionary(uniqueKeysWithValues: rendered.map { ($0, .rendered(parts: 1)) }))
        for id in rendered.prefix(10) {
            #expect(try await world.store.markDelivered(DeliveryKey(userID: id, slot: run.slot, date: run.date, part: 1), at: Date()))
        }

        let resumed = try await coordinator.trigger(run)
        #expect(!resumed.created)
        #expect(resumed.deliveryJobs == 20)
        #expect(try await renderChunks(world.queue).flatMap { $0 } == Array(due.dropFirst(30)))
        let deliveries = try await drain(world.queue, .deliver).map { try FanOut.decode($0.payload) }
        #expect(deliveries.map(\.key.userID) == Array(rendered.dropFirst(10)))
        #expect(deliveries.allSatisfy { $0.run == run && $0.text == "digest \($0.key.userID)" })
    }

    @Test func aZoneTriggerResumesOnlyItsOwnUsers() async throws {
        let world = try await SlotRunWorld.make(.memory)
        let coordinator = world.coordinator(renderChunk: 500)
        let berlin = SlotRunWorld.due.filter { $0.timeZone == "Europe/Berlin" }.map(\.id)
        let tokyo = SlotRunWorld.due.filter { $0.timeZone == "Asia/Tokyo" }.map(\.id)

        let first = try await coordinator.trigger(run, timeZones: ["Europe/Berlin"])
        #expect(first.created && first.usersDue == berlin.count)
        #expect(try await renderChunks(world.queue) == [berlin])
        // Berlin's users are rendered and their messages on their way when Tokyo fires into the same run.
        _ = try await world.store.saveDigestMessages(berlin.map { id in
            DigestMessage(key: DeliveryKey(userID: id, slot: run.slot, date: run.date, part: 1), run: run, chatID: id,
                          parts: 1, text: "x", urls: [])
        })
        try await world.store.setRunUserOutcomes(run, Dictionary(uniqueKeysWithValues: berlin.map { ($0, .rendered(parts: 1)) }))
        _ = try await drain(world.queue, .deliver)

        let second = try await coordinator.trigger(run, timeZones: ["Asia/Tokyo"])
        #expect(!second.created && second.usersAdded == tokyo.count)
        #expect(try await renderChunks(world.queue) == [tokyo])
        #expect(second.deliveryJobs == 0, "Berlin's messages in flight are not enqueued again")
        #expect(try await drain(world.queue, .deliver).isEmpty)

        // Re-firing Berlin resumes Berlin: its undelivered messages go out again.
        let refire = try await coordinator.trigger(run, timeZones: ["Europe/Berlin"])
        #expect(refire.usersAdded == 0 && refire.renderJobs == 0 && refire.deliveryJobs == berlin.count)
    }

    @Test func enqueuedTriggersCarryTheirZones() async throws {
        let world = try await SlotRunWorld.make(.memory)
        try await world.coordinator().enqueueTrigger(run, timeZones: ["Asia/Tokyo", "Europe/Berlin"])
        let jobs = try await drain(world.queue, .trigger).map { try PipelineJob(decoding: $0.payload) }
        #expect(jobs == [.trigger(run: run, timeZones: ["Asia/Tokyo", "Europe/Berlin"])])
        #expect(try await world.store.run(run) == nil, "enqueueing does not create the run")
    }
}

import Core
import Foundation
import Testing
@testable import Pipeline

@Suite("PipelineJob")
struct PipelineJobTests {
    let run = SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!)

    @Test(arguments: [
        PipelineJob.trigger(run: SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!),
                            timeZones: ["Europe/Berlin", "UTC+03:00"]),
        .trigger(run: SlotRunKey(pipeline: "daily", slot: Slot("19:30")!, date: LocalDate("2026-03-29")!), timeZones: nil),
        .fetch(pipeline: "daily", topic: Topic("футбол")!, language: .ru),
        .render(run: SlotRunKey(pipeline: "daily", slot: Slot("08:00")!, date: LocalDate("2026-11-26")!), userIDs: [1, 2, 3]),
        .onDemand(userID: 42),
    ])
    func roundTrips(_ job: PipelineJob) throws {
        #expect(try PipelineJob(decoding: job.encoded()) == job)
    }

    @Test func wireFormatIsReadableJSON() throws {
        let render = String(decoding: try PipelineJob.render(run: run, userIDs: [7, 9]).encoded(), as: UTF8.self)
        #expect(render == #"{"run":"daily/08:00/2026-11-26","type":"render","user_ids":[7,9]}"#)
        // What the chat front writes for /digest without depending on this module.
        #expect(try PipelineJob(decoding: Data(#"{"type":"on_demand","user_id":5}"#.utf8)) == .onDemand(userID: 5))
    }

    @Test func jobsNameTheirQueue() {
        #expect(PipelineJob.onDemand(userID: 1).queue == .trigger)
        #expect(PipelineJob.trigger(run: run, timeZones: nil).queue == .trigger)
        #expect(PipelineJob.fetch(pipeline: "daily", topic: Topic("ai")!, language: .en).queue == .fetch)
        #expect(PipelineJob.render(run: run, userIDs: []).queue == .render)
    }

    @Test func malformedPayloadsAreRejected() {
        #expect(throws: DecodingError.self) { try PipelineJob(decoding: Data(#"{"type":"explode"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try PipelineJob(decoding: Data(#"{"type":"render","run":"daily/8am/today","user_ids":[]}"#.utf8)) }
        #expect(throws: (any Error).self) { try PipelineJob(decoding: Data("not json".utf8)) }
    }

    @Test func stageListsParse() throws {
        #expect(try PipelineStage.parseList("fetch, render,deliver") == [.fetch, .render, .deliver])
        #expect(try PipelineStage.parseList("all") == Set(PipelineStage.allCases))
        #expect(throws: NewsbotError.self) { try PipelineStage.parseList("fetch,cook") }
        #expect(throws: NewsbotError.self) { try PipelineStage.parseList(" , ") }
    }
}

import Core
import Foundation
import Testing

@Suite("OnDemandDigestRequest")
struct OnDemandDigestRequestTests {
    /// The exact payload the pipeline's `PipelineJob.onDemand` decodes (checked on its side in
    /// PipelineJobTests.wireFormatIsReadableJSON).
    @Test func wireFormatIsThePipelinesOnDemandJob() throws {
        let data = try OnDemandDigestRequest(userID: 5).encoded()
        #expect(String(decoding: data, as: UTF8.self) == #"{"type":"on_demand","user_id":5}"#)
        #expect(try JSONDecoder().decode(OnDemandDigestRequest.self, from: data) == OnDemandDigestRequest(userID: 5))
        #expect(OnDemandDigestRequest.queue == .trigger)
    }

    @Test func otherJobTypesAreNotOnDemandRequests() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(OnDemandDigestRequest.self, from: Data(#"{"type":"render","user_id":5}"#.utf8))
        }
    }
}

import Core
import Foundation
import Testing
@testable import Chat

@Suite("ChatSession")
struct ChatSessionTests {
    @Test func roundTripsThroughTheStoredState() {
        var session = ChatSession()
        session.enter(.subscribeZone, at: Date(timeIntervalSince1970: 1_800_000_000.5))
        session.topic = Topic("электромобили")
        session.slot = Slot("07:30")
        session.digestRequestedAt = Date(timeIntervalSince1970: 1_799_999_000)
        session.lease = ConversationLease(owner: "abc/42", until: Date(timeIntervalSince1970: 1_800_000_030))
        session.lastUpdateID = 42
        #expect(ChatSession(session.state) == session)
        #expect(session.state.step == "subscribe.zone")
        #expect(session.state.lastUpdateID == 42)
    }

    @Test func unknownOrMissingStateIsIdle() {
        #expect(ChatSession(nil).step == .idle)
        #expect(ChatSession(ConversationState(step: "from.a.future.version", data: ["topic": "x"])).step == .idle)
    }

    @Test func aFlowExpiresAfterItsTTLWithoutActivity() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var session = ChatSession()
        #expect(!session.flowExpired(at: start.addingTimeInterval(1e9), ttl: .seconds(60)))
        session.enter(.subscribeTopic, at: start)
        #expect(!session.flowExpired(at: start.addingTimeInterval(60), ttl: .seconds(60)))
        #expect(session.flowExpired(at: start.addingTimeInterval(61), ttl: .seconds(60)))
        session.finishFlow()
        #expect(session.step == .idle && session.topic == nil && session.flowTouchedAt == nil)
    }

    @Test func leasesKeepTheirOwnerAndExpiry() throws {
        let lease = ConversationLease(owner: "k3x/9@odd", until: Date(timeIntervalSince1970: 1_800_000_000.25))
        let decoded = try #require(ConversationLease(encoded: lease.encoded))
        #expect(decoded.owner == "k3x/9@odd")
        #expect(decoded.isLive(at: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(!decoded.isLive(at: Date(timeIntervalSince1970: 1_800_000_001)))
        #expect(ConversationLease(encoded: "no-expiry") == nil)
    }
}

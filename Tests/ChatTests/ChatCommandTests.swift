import Testing
@testable import Chat

@Suite("ChatCommand")
struct ChatCommandTests {
    @Test func parsesNameAndArgument() throws {
        let plain = try #require(ChatCommand("/start"))
        #expect(plain.name == "start" && plain.argument.isEmpty)
        let addressed = try #require(ChatCommand("  /Unsubscribe@newsbot_sim_bot   Rust  Lang  "))
        #expect(addressed.name == "unsubscribe")
        #expect(addressed.argument == "Rust  Lang")
        let multiline = try #require(ChatCommand("/subscribe\nai"))
        #expect(multiline.name == "subscribe" && multiline.argument == "ai")
    }

    @Test(arguments: ["", "/", "hello /start", "//", "/ѣ", "/@bot", "/" + String(repeating: "a", count: 40)])
    func ordinaryTextIsNoCommand(_ text: String) {
        #expect(ChatCommand(text) == nil)
    }

    @Test(arguments: ["/start", "/start payload", "  /START@newsbot_sim_bot", "\n\t/Start", "\u{00A0}/start"])
    func startIsRecognisedHoweverWritten(_ text: String) {
        #expect(UpdateRouter.isStart(text))
    }

    @Test(arguments: ["/starts", "/stop", "start", "hello /start", "/st", "", "/старт", "\u{00A0}/help"])
    func otherTextIsNotStart(_ text: String) {
        #expect(!UpdateRouter.isStart(text))
        #expect(!UpdateRouter.isStart(nil))
    }
}

import Core
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

    /// The byte parse of an ASCII command word answers what the character parse answers.
    @Test(arguments: ["/start", "/Start@Bot arg", "/help  x  y ", "/a_1", "/x@", "/@bot", "/", "/ab@c@d e", "/a-b", "/a.b c",
                      "/topics\r\nnext", "/subscribe\tai", "/" + String(repeating: "b", count: 32),
                      "/" + String(repeating: "b", count: 33), "/lang ру", "/x\u{00A0}y", "/é", "/e\u{0301} x", "/[]"])
    func asciiParseMatchesTheGeneralParse(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        let general = ChatCommand(general: trimmed)
        if let ascii = ChatCommand.asciiHead(trimmed) {
            #expect(ascii == general)
        }
        #expect(ChatCommand(text) == general)
    }
}

import Foundation
import Telegram
import Testing
@testable import Chat

/// The webhook's hand-written update reader answers exactly what `JSONDecoder` answers: the same
/// update for every body the decoder reads, an error for every body it rejects.
@Suite("Webhook update reader")
struct WebhookUpdateReaderTests {
    static let bodies = [
        // As Telegram posts a private command (and as `loadtest webhook` does).
        #"{"update_id":1764500000000000123,"message":{"message_id":124,"from":{"id":1000000042,"is_bot":false,"first_name":"Load","language_code":"en"},"chat":{"id":1000000042,"type":"private","first_name":"Load"},"date":1764500000,"text":"/subscribe topic 7","entities":[{"offset":0,"length":10,"type":"bot_command"}]}}"#,
        // Members the bot does not model, in every JSON shape, with whitespace.
        #" { "update_id" : 7 , "message" : { "message_id" : 1 , "from" : { "id" : 5 , "is_bot" : false , "first_name" : "A" , "last_name" : null , "username" : "a_b" , "is_premium" : true } , "chat" : { "id" : -100 , "type" : "supergroup" , "title" : "T" , "all_members_are_administrators" : false } , "date" : 1 , "edit_date" : null , "text" : "hi" , "x" : [ 1 , -2.5e+3 , 0.0 , {} , [] , { "y" : [ null ] } ] } } "#,
        // No sender, no text.
        #"{"update_id":8,"message":{"message_id":2,"chat":{"id":9,"type":"private"},"date":3}}"#,
        // Escapes (Telegram escapes non-ASCII) take the decoder's path.
        #"{"update_id":9,"message":{"message_id":3,"chat":{"id":9,"type":"private"},"date":3,"text":"\u041f\u0440\u0438\u0432\u0435\u0442 \"q\""}}"#,
        // Unescaped non-ASCII UTF-8 (other clients send it raw): validated, not just decoded.
        #"{"update_id":21,"message":{"message_id":3,"chat":{"id":9,"type":"private","first_name":"Ёж"},"date":3,"text":"Привет, мир ✓ é"}}"#,
        // Other kinds.
        #"{"update_id":10,"callback_query":{"id":"q1","from":{"id":5,"is_bot":false,"first_name":"A"},"chat_instance":"c","data":"t:ai","message":{"message_id":4,"chat":{"id":5,"type":"private"},"date":4}}}"#,
        #"{"update_id":11,"edited_message":{"message_id":5,"chat":{"id":5,"type":"private"},"date":4,"edit_date":6,"text":"e"}}"#,
        #"{"update_id":12,"poll":{"id":"p"}}"#,
        #"{"update_id":13,"message":null}"#,
        // Numbers the reader leaves to the decoder.
        #"{"update_id":14.0,"message":{"message_id":1e2,"chat":{"id":9,"type":"private"},"date":3}}"#,
        #"{"update_id":99999999999999999999,"message":{"message_id":1,"chat":{"id":9,"type":"private"},"date":3}}"#,
        // Bodies the decoder rejects.
        #"{"message":{"message_id":1,"chat":{"id":9,"type":"private"},"date":3}}"#,
        #"{"update_id":15,"message":{"message_id":1,"chat":{"id":9},"date":3}}"#,
        #"{"update_id":16,"message":{"message_id":"1","chat":{"id":9,"type":"private"},"date":3}}"#,
        #"{"update_id":17,"message":{"message_id":1,"chat":{"id":9,"type":"private"},"date":3,"x":01}}"#,
        #"{"update_id":18,"message":{"message_id":1,"chat":{"id":9,"type":"private"},"date":3}} trailing"#,
        #"{"update_id":19,"message":{"message_id":1,"chat":{"id":9,"type":"private"},"date":3,"#,
        "",
        "[]",
        "{\"update_id\":20,\"message\":{\"message_id\":1,\"chat\":{\"id\":9,\"type\":\"private\"},\"date\":3,\"text\":\"a\u{1}b\"}}",
    ]

    /// Bytes that are not UTF-8 inside a string (a lone continuation byte, a truncated sequence,
    /// an overlong encoding) are rejected as the decoder rejects them, wherever they sit.
    @Test(arguments: [[0x80], [0xD0], [0xC0, 0xAF], [0xFF, 0x41]] as [[UInt8]])
    func invalidUTF8InAStringIsRejected(_ bad: [UInt8]) {
        for (prefix, suffix) in [(#"{"update_id":22,"message":{"message_id":3,"chat":{"id":9,"type":"private"},"date":3,"text":"a"#, #""}}"#),
                                 (#"{"update_id":23,"message":{"message_id":3,"chat":{"id":9,"type":"private","first_name":""#, #""},"date":3}}"#)] {
            let bytes = Array(prefix.utf8) + bad + Array(suffix.utf8)
            #expect(throws: (any Error).self) { try JSONDecoder().decode(Update.self, from: Data(bytes)) }
            #expect(throws: (any Error).self) { try bytes.withUnsafeBytes { try WebhookUpdateReader.decode($0) } }
        }
    }

    @Test(arguments: bodies)
    func answersWhatTheDecoderAnswers(_ body: String) {
        let bytes = Array(body.utf8)
        let expected = Result { try JSONDecoder().decode(Update.self, from: Data(bytes)) }
        let actual = Result { try bytes.withUnsafeBytes { try WebhookUpdateReader.decode($0) } }
        switch (expected, actual) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure, .failure): break
        default: Issue.record("decoder: \(expected), reader: \(actual)")
        }
    }
}

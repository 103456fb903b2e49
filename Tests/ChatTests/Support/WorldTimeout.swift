/// A test waited longer than it should for the bot.
struct WorldTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out: \(what)" }
}

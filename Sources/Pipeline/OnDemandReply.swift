import Core

/// What `/digest` answers when there is nothing new for the person: without it, asking right
/// after a digest would be met with silence.
enum OnDemandReply {
    static func nothingNew(_ language: Language) -> String {
        switch language {
        case .en: "Nothing new since your last digest. Try again later."
        case .ru: "С прошлого дайджеста ничего нового. Загляните позже."
        }
    }
}

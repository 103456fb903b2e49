/// A fault armed for a chat, with how many more answers it applies to (nil: always).
struct FaultEntry: Sendable {
    var fault: SimulatedFault
    var remaining: Int?
}

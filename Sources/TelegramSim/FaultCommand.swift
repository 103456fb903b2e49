/// The body of `POST /sim/faults`:
/// `{"chat_id": 42, "fault": "blocked", "times": 1}`. `fault` is one of `blocked`,
/// `deactivated`, `kicked`, `chat_not_found`, `server_error` (with `status`, default
/// 500), `slow` (with `delay_ms`) or `none`. Without `chat_id` the fault applies to
/// every chat; `none` without `chat_id` clears all faults. Without `times` it applies
/// until cleared.
struct FaultCommand: Codable, Sendable {
    var chatID: Int64?
    var fault: String
    var status: Int?
    var times: Int?
    var delayMS: Int?

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id"
        case fault, status, times
        case delayMS = "delay_ms"
    }

    /// The fault to arm; nil for `none`.
    func simulatedFault() throws(SimulatorFailure) -> SimulatedFault? {
        switch fault.lowercased() {
        case "none": return nil
        case "blocked": return .blocked
        case "deactivated": return .deactivated
        case "kicked": return .kicked
        case "chat_not_found": return .chatNotFound
        case "server_error":
            let status = status ?? 500
            guard (500...599).contains(status) else { throw .badRequest("status must be 5xx") }
            return .serverError(status: status)
        case "slow":
            return .slow(delay: .milliseconds(max(delayMS ?? 1000, 0)))
        default:
            throw .badRequest("unknown fault \"\(fault)\"")
        }
    }
}

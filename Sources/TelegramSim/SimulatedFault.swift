/// A failure the simulator answers with instead of accepting a message, to exercise
/// the delivery loop's error handling. Set per chat (or for every chat) with
/// `TelegramSimulator.setFault(_:forChat:times:)` or `POST /sim/faults`.
public enum SimulatedFault: Sendable, Hashable {
    /// 403 "Forbidden: bot was blocked by the user".
    case blocked
    /// 403 "Forbidden: user is deactivated".
    case deactivated
    /// 403 "Forbidden: bot was kicked from the group chat".
    case kicked
    /// 400 "Bad Request: chat not found".
    case chatNotFound
    /// A 5xx answer with the given status (500, 502, 503, 504…).
    case serverError(status: Int)
    /// Answer normally, but only after `delay`: for timeouts and slow-server tests.
    case slow(delay: Duration)

    /// The error answered for this fault, or nil for `.slow`.
    var failure: SimulatorFailure? {
        switch self {
        case .blocked: SimulatorFailure(403, "Forbidden: bot was blocked by the user")
        case .deactivated: SimulatorFailure(403, "Forbidden: user is deactivated")
        case .kicked: SimulatorFailure(403, "Forbidden: bot was kicked from the group chat")
        case .chatNotFound: SimulatorFailure(400, "Bad Request: chat not found")
        case .serverError(let status):
            SimulatorFailure(status, status == 502 ? "Bad Gateway" : status == 504 ? "Gateway Timeout" : "Internal Server Error")
        case .slow: nil
        }
    }
}

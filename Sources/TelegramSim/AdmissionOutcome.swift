/// What the locked part of a send or edit decided.
enum AdmissionOutcome<Value: Sendable>: Sendable {
    case accepted(Value)
    case failure(SimulatorFailure)
    /// A `.slow` fault: sleep, then try again without it.
    case delay(Duration)
}

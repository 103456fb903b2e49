/// The port under test in one run, plus a way to reach the same backing store through another
/// handle — what a second process or instance would see.
struct ContractSubject<Port: Sendable>: Sendable {
    let port: Port
    let environment: ContractEnvironment
    private let makePeer: @Sendable () async throws -> Port

    init(port: Port, environment: ContractEnvironment, makePeer: @escaping @Sendable () async throws -> Port) {
        self.port = port
        self.environment = environment
        self.makePeer = makePeer
    }

    /// Another handle on the same data: the same object for in-memory implementations, a second
    /// database connection or client otherwise.
    func peer() async throws -> Port { try await makePeer() }
}

import Testing

/// One implementation of a port, as a test argument: builds a fresh, empty instance per test.
struct PortFactory<Port: Sendable>: Sendable, CustomTestStringConvertible {
    /// Where the implementation reads time from.
    enum TimeSource: Sendable {
        /// The `NewsbotClock` it is given: tests move time instantly.
        case injectedClock
        /// Its server (Redis TTLs, broker delays): tests sleep for real.
        case server
    }

    let name: String
    let timeSource: TimeSource
    let capabilities: Set<ContractCapability>
    private let make: @Sendable (ContractEnvironment) async throws -> Port
    private let makePeer: @Sendable (ContractEnvironment, Port) async throws -> Port

    /// - Parameters:
    ///   - make: a fresh instance, empty, using `environment.clock` if it takes a clock and
    ///     `environment.namespace` to keep apart from other tests on a shared server.
    ///   - peer: a second handle on the same data (default: the same instance).
    init(_ name: String, timeSource: TimeSource = .injectedClock, capabilities: Set<ContractCapability> = [],
         make: @escaping @Sendable (ContractEnvironment) async throws -> Port,
         peer: (@Sendable (ContractEnvironment, Port) async throws -> Port)? = nil) {
        self.name = name
        self.timeSource = timeSource
        self.capabilities = capabilities
        self.make = make
        self.makePeer = peer ?? { _, port in port }
    }

    var testDescription: String { name }

    func supports(_ capability: ContractCapability) -> Bool { capabilities.contains(capability) }

    /// Builds the port, runs `body`, then tears the environment down.
    func run(_ body: (ContractSubject<Port>) async throws -> Void) async throws {
        let environment = ContractEnvironment(realTime: timeSource == .server)
        do {
            let port = try await make(environment)
            let makePeer = makePeer
            try await body(ContractSubject(port: port, environment: environment,
                                           makePeer: { try await makePeer(environment, port) }))
        } catch {
            await environment.tearDown()
            throw error
        }
        await environment.tearDown()
    }
}

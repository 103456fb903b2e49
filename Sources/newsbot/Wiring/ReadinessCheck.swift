/// One backend's reachability check for `GET /readyz`.
struct ReadinessCheck: Sendable {
    let name: String
    let check: @Sendable () async throws -> Void

    init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

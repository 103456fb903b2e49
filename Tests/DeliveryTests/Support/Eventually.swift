/// Waits until `condition` holds, checking every few milliseconds. Not a timing assertion:
/// it only sequences a test; the suite's time limit catches a condition that never holds.
func eventually(_ condition: () async throws -> Bool) async throws {
    while try await !condition() {
        try await Task.sleep(for: .milliseconds(5))
    }
}

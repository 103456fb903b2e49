import Foundation

/// The real clock.
public struct SystemClock: NewsbotClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}

extension NewsbotClock where Self == SystemClock {
    public static var system: SystemClock { SystemClock() }
}

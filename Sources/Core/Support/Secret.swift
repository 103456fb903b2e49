/// A value that must never be printed: its description is always redacted.
public struct Secret<Value: Sendable>: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The real value, for the one call that needs it.
    public let value: Value

    public init(_ value: Value) { self.value = value }

    public var description: String { "***" }
    public var debugDescription: String { "Secret(***)" }
}

/// An error with a stable code and a message that is safe to log: no tokens, keys, passwords or
/// SQL. Details for debugging go to `debugDescription` and are redacted too.
public struct NewsbotError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let configuration = Code(rawValue: "configuration")
        public static let invalidInput = Code(rawValue: "invalid_input")
        public static let notFound = Code(rawValue: "not_found")
        public static let conflict = Code(rawValue: "conflict")
        public static let storage = Code(rawValue: "storage")
        public static let unavailable = Code(rawValue: "unavailable")
        public static let timeout = Code(rawValue: "timeout")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = Redaction.redact(message)
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(message)" }

    public var debugDescription: String {
        var text = "\(code): \(message) (\(file):\(line))"
        if let underlying { text += " underlying: " + Redaction.redact(String(describing: underlying)) }
        return text
    }
}

/// One versioned schema change: statements applied in one transaction and recorded in
/// `schema_migrations` with a checksum, so an edited migration is noticed instead of silently
/// diverging between databases. Never edit a released migration; add the next version.
public struct PostgresMigration: Sendable, Hashable {
    public var version: Int
    public var name: String
    /// One SQL statement each (the extended protocol runs one statement per query).
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// FNV-1a (64-bit) of the statements, hex: stable across processes and platforms.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in statements.joined(separator: "\n;\n").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

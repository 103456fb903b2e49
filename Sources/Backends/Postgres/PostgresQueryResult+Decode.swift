import PostgresNIO

extension PostgresQueryResult {
    /// Every row decoded as `type` (one column), like `PostgresRowSequence.decode`.
    func decode<Column: PostgresDecodable>(_ type: Column.Type) throws -> [Column] {
        try rows.map { try $0.decode(type) }
    }

    /// Every row decoded as the tuple `type`, like `PostgresRowSequence.decode`.
    func decode<each Column: PostgresDecodable>(_ type: (repeat each Column).Type) throws -> [(repeat each Column)] {
        try rows.map { try $0.decode(type) }
    }
}

import NIOHTTP1

extension HTTPHeaders {
    /// The named field's value, repeats joined with ", " (names matched without regard to case),
    /// so a repeated field reads as the one list HTTP makes of it: a request that repeats the
    /// secret header does not pass with one good copy.
    public func value(of name: String) -> String? {
        let values = self[name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

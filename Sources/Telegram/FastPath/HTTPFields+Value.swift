import HTTPTypes

extension HTTPFields {
    /// The named field's value, repeats joined with ", " as `self[name]` joins them (not for
    /// `Cookie`, which that subscript joins with "; "). Why not the subscript: its join goes
    /// through a lazy generic sequence that the fast paths' callers cannot specialize, so each
    /// lookup resolved type metadata at run time — about 1 % of a load test's CPU.
    public func value(of name: HTTPField.Name) -> String? {
        var value: String?
        for field in self where field.name == name {
            value = value.map { $0 + ", " + field.value } ?? field.value
        }
        return value
    }
}

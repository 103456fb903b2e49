/// The `result` of an answer whose caller does not need it: decodes from any JSON value
/// without reading it, so an envelope costs only `ok` / `error_code` / `description` /
/// `parameters`.
struct DiscardedResult: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}

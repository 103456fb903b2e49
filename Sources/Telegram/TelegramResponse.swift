/// The envelope of every Bot API answer: `{ok, result}` on success,
/// `{ok: false, error_code, description, parameters}` on failure.
public struct TelegramResponse<Result> {
    public var ok: Bool
    public var result: Result?
    public var errorCode: Int?
    public var description: String?
    public var parameters: ResponseParameters?

    public init(
        ok: Bool, result: Result? = nil, errorCode: Int? = nil, description: String? = nil,
        parameters: ResponseParameters? = nil
    ) {
        self.ok = ok
        self.result = result
        self.errorCode = errorCode
        self.description = description
        self.parameters = parameters
    }

    /// A successful answer.
    public static func success(_ result: Result, description: String? = nil) -> TelegramResponse {
        TelegramResponse(ok: true, result: result, description: description)
    }

    /// A failed answer, as Telegram writes it (the HTTP status equals `errorCode`).
    public static func failure(
        _ errorCode: Int, _ description: String, parameters: ResponseParameters? = nil
    ) -> TelegramResponse {
        TelegramResponse(ok: false, errorCode: errorCode, description: description, parameters: parameters)
    }

    enum CodingKeys: String, CodingKey {
        case ok, result
        case errorCode = "error_code"
        case description, parameters
    }
}

extension TelegramResponse: Sendable where Result: Sendable {}
extension TelegramResponse: Equatable where Result: Equatable {}
extension TelegramResponse: Decodable where Result: Decodable {}
extension TelegramResponse: Encodable where Result: Encodable {}

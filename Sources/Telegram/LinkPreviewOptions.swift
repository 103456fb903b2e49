/// Link preview settings of a message. Digests switch previews off: a digest holds many
/// links and a preview of the first one would dominate the message.
public struct LinkPreviewOptions: Codable, Sendable, Hashable {
    public var isDisabled: Bool?
    public var url: String?

    public init(isDisabled: Bool? = nil, url: String? = nil) {
        self.isDisabled = isDisabled
        self.url = url
    }

    public static let disabled = LinkPreviewOptions(isDisabled: true)

    enum CodingKeys: String, CodingKey {
        case isDisabled = "is_disabled"
        case url
    }
}

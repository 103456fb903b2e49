/// `LOG_FORMAT`: human text lines or one JSON object per line.
enum LogFormat: String, Sendable {
    case text
    case json
}

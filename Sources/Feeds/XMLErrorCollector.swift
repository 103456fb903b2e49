internal import CLibXML2
import Foundation

/// Collects libxml2's errors for one parse through a structured error handler, instead of
/// libxml2's global (stderr-printing) handlers, so errors are attributed to the right feed
/// even when several feeds parse on different threads at once.
final class XMLErrorCollector {
    /// The first fatal error: the one that stopped the parse.
    private(set) var fatal: (code: Int32, line: Int, message: String)?
    /// Non-fatal errors and warnings, "line N: message", at most `maxWarnings`.
    private(set) var warnings: [String] = []
    private let maxWarnings = 10

    /// Whether the fatal error is libxml2's way of saying the input ended before the document
    /// did: "Premature end of data in tag", or, from the reader's push parser, the misleading
    /// "Extra content at the end of the document".
    var fatalIsEndOfInput: Bool {
        guard let code = fatal?.code else { return false }
        return code == Int32(XML_ERR_DOCUMENT_END.rawValue) || code == Int32(XML_ERR_TAG_NOT_FINISHED.rawValue)
    }

    func record(_ error: xmlError) {
        let message = error.message.map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown error"
        let line = Int(error.line)
        if error.level == XML_ERR_FATAL {
            if fatal == nil { fatal = (error.code, line, message) }
        } else if warnings.count < maxWarnings {
            warnings.append(line > 0 ? "line \(line): \(message)" : message)
        }
    }

    /// The `FeedError` for the fatal error (or for a reader failure that reported none).
    func feedError(declaredEncoding: String?, fallbackLine: Int) -> FeedError {
        guard let fatal else {
            return FeedError(.malformed, line: fallbackLine > 0 ? fallbackLine : nil, detail: "XML reader failed")
        }
        let line = fatal.line > 0 ? fatal.line : nil
        switch fatal.code {
        case Int32(XML_ERR_UNKNOWN_ENCODING.rawValue), Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            return FeedError(.unsupportedEncoding, detail: declaredEncoding ?? fatal.message)
        case Int32(XML_ERR_ENTITY_LOOP.rawValue):
            return FeedError(.entityLimit, line: line, detail: fatal.message)
        default:
            return FeedError(.malformed, line: line, detail: fatal.message)
        }
    }
}

/// The C callback libxml2 calls; `context` is the collector, passed unretained because the
/// collector outlives the reader it is installed on.
func collectXMLError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error else { return }
    Unmanaged<XMLErrorCollector>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}

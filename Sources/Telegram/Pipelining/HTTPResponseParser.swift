import NIOCore

/// Splits the bytes of one HTTP/1.1 connection into responses, in the order they arrive.
///
/// Why not NIOHTTP1's decoder: the send path needs only the status, the framing headers and
/// the body, and llhttp's callbacks plus an `HTTPHeaders` per answer cost more than the rest
/// of the client together. Supports `Content-Length`, `Transfer-Encoding: chunked`, bodies
/// that run to the end of the connection, interim 1xx answers and `Connection: close`.
package struct HTTPResponseParser {
    private let maxBodyBytes: Int
    private static let maxHeadBytes = 64 * 1024
    /// Bytes received and not yet returned as a response.
    private var buffer = ByteBuffer()

    package init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// The framing of one response head.
    private struct Head {
        var status: Int
        /// Bytes up to and including the blank line.
        var length: Int
        var contentLength: Int?
        var chunked = false
        var closes = false
        var retryAfter: Int?
    }

    /// Adds bytes read from the connection.
    package mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// Whether bytes of an unfinished response are waiting.
    var hasPartialResponse: Bool { buffer.readableBytes > 0 }

    /// The next complete response, or nil until more bytes arrive. `closesConnection`: the
    /// server will process nothing more on this connection after it.
    package mutating func next() throws(PipelinedHTTPError) -> (response: PipelinedHTTPResponse, closesConnection: Bool)? {
        while true {
            guard let head = try parseHead() else { return nil }
            let bodyStart = buffer.readerIndex + head.length
            if (100..<200).contains(head.status) {
                // Interim answer (100 Continue, 103 Early Hints): the real one follows.
                buffer.moveReaderIndex(to: bodyStart)
                continue
            }
            if head.status == 204 || head.status == 304 {
                buffer.moveReaderIndex(to: bodyStart)
                return (PipelinedHTTPResponse(status: head.status, body: ByteBuffer(), retryAfter: head.retryAfter), head.closes)
            }
            if head.chunked {
                guard let (body, end) = try chunkedBody(from: bodyStart) else { return nil }
                buffer.moveReaderIndex(to: end)
                return (PipelinedHTTPResponse(status: head.status, body: body, retryAfter: head.retryAfter), head.closes)
            }
            if let length = head.contentLength {
                guard length <= maxBodyBytes else { throw .responseTooLarge }
                guard buffer.writerIndex - bodyStart >= length else { return nil }
                let body = buffer.getSlice(at: bodyStart, length: length)!
                buffer.moveReaderIndex(to: bodyStart + length)
                compactIfLarge()
                return (PipelinedHTTPResponse(status: head.status, body: body, retryAfter: head.retryAfter), head.closes)
            }
            // No framing: the body runs to the end of the connection (`finish()`).
            guard buffer.writerIndex - bodyStart <= maxBodyBytes else { throw .responseTooLarge }
            return nil
        }
    }

    /// At the end of the stream: the response whose body ran to it, if one was being read.
    mutating func finish() -> PipelinedHTTPResponse? {
        guard let head = try? parseHead(), head.status >= 200, !head.chunked, head.contentLength == nil else { return nil }
        let bodyStart = buffer.readerIndex + head.length
        let body = buffer.getSlice(at: bodyStart, length: buffer.writerIndex - bodyStart)!
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return PipelinedHTTPResponse(status: head.status, body: body, retryAfter: head.retryAfter)
    }

    /// Keeps a long-lived buffer from growing without bound. An emptied buffer is left as it is:
    /// `append` replaces it with the next read. (`clear()` there allocated a fresh buffer of the
    /// read's capacity for every answer, because the body just returned shares its storage.)
    private mutating func compactIfLarge() {
        if buffer.readableBytes > 0 && buffer.readerIndex > 64 * 1024 {
            buffer.discardReadBytes()
        }
    }

    // MARK: head

    private func parseHead() throws(PipelinedHTTPError) -> Head? {
        let result: Result<Head?, PipelinedHTTPError> = buffer.withUnsafeReadableBytes { bytes in
            guard let end = Self.endOfHead(bytes) else {
                return bytes.count > Self.maxHeadBytes ? .failure(.malformedResponse) : .success(nil)
            }
            return Self.head(bytes, length: end).map { .success($0) } ?? .failure(.malformedResponse)
        }
        return try result.get()
    }

    /// The length of the head including its final CRLF CRLF, or nil when it is incomplete.
    private static func endOfHead(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 3
        while index < bytes.count {
            let byte = bytes[index]
            if byte == lf {
                if bytes[index - 1] == cr, bytes[index - 2] == lf, bytes[index - 3] == cr { return index + 1 }
                index += 1
            } else if byte == cr {
                index += 1
            } else {
                // Neither CR nor LF: the terminator cannot end before index + 4.
                index += 4
            }
        }
        return nil
    }

    /// Parses `HTTP/1.x SSS reason` and the framing headers; nil when malformed.
    private static func head(_ bytes: UnsafeRawBufferPointer, length: Int) -> Head? {
        // "HTTP/1.1 200" at least.
        guard length >= 16, hasPrefix(bytes, 0, "HTTP/1."), bytes[8] == space,
              let status = threeDigits(bytes, 9), length > 12 else { return nil }
        let isHTTP10 = bytes[7] == UInt8(ascii: "0")
        var head = Head(status: status, length: length)
        var line = lineEnd(bytes, from: 0, limit: length) + 2
        var keepAlive = false
        var close = false
        while line < length - 2 {
            let end = lineEnd(bytes, from: line, limit: length)
            guard let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, line..<end) else { return nil }
            var valueStart = colon + 1
            var valueEnd = end
            while valueStart < valueEnd, bytes[valueStart] == space || bytes[valueStart] == tab { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
            let value = valueStart..<valueEnd
            if equalsIgnoringCase(bytes, line..<colon, "content-length") {
                guard let parsed = decimal(bytes, value), head.contentLength == nil || head.contentLength == parsed else {
                    return nil
                }
                head.contentLength = parsed
            } else if equalsIgnoringCase(bytes, line..<colon, "transfer-encoding") {
                head.chunked = endsWithIgnoringCase(bytes, value, "chunked")
                if !head.chunked { return nil }  // an encoding we cannot undo
            } else if equalsIgnoringCase(bytes, line..<colon, "retry-after") {
                head.retryAfter = decimal(bytes, value)
            } else if equalsIgnoringCase(bytes, line..<colon, "connection") {
                if containsIgnoringCase(bytes, value, "close") { close = true }
                if containsIgnoringCase(bytes, value, "keep-alive") { keepAlive = true }
            }
            line = end + 2
        }
        // HTTP/1.0 closes after every answer unless it says keep-alive.
        head.closes = close || (isHTTP10 && !keepAlive)
        if head.chunked { head.contentLength = nil }
        return head
    }

    // MARK: chunked body

    /// The decoded body and the index just past the last chunk's trailers, or nil until
    /// every chunk has arrived.
    private func chunkedBody(from start: Int) throws(PipelinedHTTPError) -> (ByteBuffer, Int)? {
        let limit = maxBodyBytes
        let result: Result<([Range<Int>], Int)?, PipelinedHTTPError> = buffer.withUnsafeReadableBytes { bytes in
            var index = start - buffer.readerIndex
            var chunks: [Range<Int>] = []
            var total = 0
            while true {
                guard let sizeEnd = Self.findCRLF(bytes, from: index) else { return .success(nil) }
                var sizeRange = index..<sizeEnd
                if let semicolon = Self.firstIndex(of: UInt8(ascii: ";"), in: bytes, sizeRange) {
                    sizeRange = index..<semicolon
                }
                guard let size = Self.hexadecimal(bytes, sizeRange) else { return .failure(.malformedResponse) }
                index = sizeEnd + 2
                if size == 0 {
                    // Trailers (usually none), then a blank line.
                    while true {
                        guard let lineEnd = Self.findCRLF(bytes, from: index) else { return .success(nil) }
                        let empty = lineEnd == index
                        index = lineEnd + 2
                        if empty { return .success((chunks, index)) }
                    }
                }
                total += size
                guard total <= limit else { return .failure(.responseTooLarge) }
                guard bytes.count - index >= size + 2 else { return .success(nil) }
                guard bytes[index + size] == Self.cr, bytes[index + size + 1] == Self.lf else {
                    return .failure(.malformedResponse)
                }
                chunks.append(index..<(index + size))
                index += size + 2
            }
        }
        guard let (chunks, end) = try result.get() else { return nil }
        var body = ByteBuffer()
        body.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for chunk in chunks {
            var slice = buffer.getSlice(at: buffer.readerIndex + chunk.lowerBound, length: chunk.count)!
            body.writeBuffer(&slice)
        }
        return (body, buffer.readerIndex + end)
    }

    // MARK: bytes

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int {
        findCRLF(bytes, from: start).map { min($0, limit) } ?? limit
    }

    private static func findCRLF(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == cr && bytes[index + 1] == lf { return index }
            index += 1
        }
        return nil
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        range.first { bytes[$0] == byte }
    }

    private static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ at: Int, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard bytes.count - at >= count else { return false }
        for offset in 0..<count where bytes[at + offset] != text.utf8Start[offset] { return false }
        return true
    }

    private static func threeDigits(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        var value = 0
        for index in at..<(at + 3) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func decimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private static func hexadecimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var end = range.upperBound
        while end > range.lowerBound, bytes[end - 1] == space || bytes[end - 1] == tab { end -= 1 }
        guard end > range.lowerBound, end - range.lowerBound <= 15 else { return nil }
        var value = 0
        for index in range.lowerBound..<end {
            let byte = bytes[index] | 0x20
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value * 16 + Int(digit)
        }
        return value
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        range.count == text.utf8CodeUnitCount && matchesIgnoringCase(bytes, range.lowerBound, text)
    }

    private static func endsWithIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        range.count >= text.utf8CodeUnitCount && matchesIgnoringCase(bytes, range.upperBound - text.utf8CodeUnitCount, text)
    }

    private static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard range.count >= count else { return false }
        return (range.lowerBound...(range.upperBound - count)).contains { matchesIgnoringCase(bytes, $0, text) }
    }

    private static func matchesIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ at: Int, _ text: StaticString) -> Bool {
        for offset in 0..<text.utf8CodeUnitCount {
            var byte = bytes[at + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != text.utf8Start[offset] { return false }
        }
        return true
    }
}

import NIOCore
import Testing
@testable import Telegram

/// Framing cases the scripted-server tests do not reach.
@Suite struct HTTPResponseParserTests {
    static func parse(_ pieces: [String], max: Int = 1 << 20) throws -> [String] {
        var parser = HTTPResponseParser(maxBodyBytes: max)
        var out: [String] = []
        for piece in pieces {
            parser.append(ByteBuffer(string: piece))
            while let (response, closes) = try parser.next() {
                out.append("\(response.status) \(String(buffer: response.body))\(closes ? " close" : "")")
            }
        }
        if let response = parser.finish() { out.append("\(response.status) \(String(buffer: response.body)) eof") }
        return out
    }

    @Test func interimAnswersAreSkipped() throws {
        #expect(try Self.parse(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]) == ["200 ok"])
    }

    @Test func headerNamesAndValuesAreCaseInsensitive() throws {
        #expect(try Self.parse(["HTTP/1.1 429 X\r\ncOnTeNt-LeNgTh:  3 \r\nCONNECTION: Close\r\n\r\nabc"]) == ["429 abc close"])
    }

    @Test func chunkedBodiesWithExtensionsAndTrailers() throws {
        // A transfer coding other than chunked last leaves no framing we can read: refused, not misread.
        #expect(throws: PipelinedHTTPError.malformedResponse) {
            try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz"])
        }
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, CHUNKED\r\n\r\n1\r\nx\r\n0\r\n\r\n"]) == ["200 x"])
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b\r\nabcd\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n"
        #expect(try Self.parse(chunked.map { String($0) }) == ["200 abcd0123456789"])
    }

    @Test func http10BodyRunsToTheEndOfTheStream() throws {
        #expect(try Self.parse(["HTTP/1.0 502 Bad Gateway\r\n\r\n<html>", "</html>"]) == ["502 <html></html> eof"])
        #expect(try Self.parse(["HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"]) == ["200 x close"])
        #expect(try Self.parse(["HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx"]) == ["200 x"])
    }

    @Test func noBodyStatuses() throws {
        #expect(try Self.parse(["HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"]) == ["204 ", "200 "])
    }

    @Test func malformedAndOversizedAnswers() throws {
        #expect(throws: PipelinedHTTPError.malformedResponse) { try Self.parse(["HTTP/1.1 2x0 OK\r\n\r\n"]) }
        #expect(throws: PipelinedHTTPError.malformedResponse) {
            try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx"])
        }
        #expect(throws: PipelinedHTTPError.malformedResponse) { try Self.parse(["HTTP/1.1 200 OK\r\nno colon\r\n\r\n"]) }
        #expect(throws: PipelinedHTTPError.responseTooLarge) {
            try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"], max: 10)
        }
        #expect(throws: PipelinedHTTPError.responseTooLarge) {
            try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nB\r\n"], max: 10)
        }
    }
}

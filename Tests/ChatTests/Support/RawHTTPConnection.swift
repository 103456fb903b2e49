import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP connection for requests no HTTP client library writes (a chunked body
/// without a length, several requests in one write). Reads run on a Dispatch thread; every read
/// gives up after 10 s so a broken server fails the test instead of hanging it.
final class RawHTTPConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    private let closed = Mutex(false)

    deinit {
        close()
    }

    /// Closes the connection (once).
    func close() {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { Glibc.close(descriptor) }
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The status codes of the next `count` answers (each without a body, as the webhook's are),
    /// fewer when the connection closes or goes quiet first.
    func statuses(_ count: Int) async -> [Int] {
        // The read blocks: on a Dispatch thread, never on one of the few threads of Swift's
        // cooperative pool, which the server under test and every other test need meanwhile.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.readStatuses(count)) }
        }
    }

    private func readStatuses(_ count: Int) -> [Int] {
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.components(separatedBy: "\r\n\r\n").count - 1 < count {
            let read = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard read > 0 else { break }
            received += String(decoding: buffer[..<read], as: UTF8.self)
        }
        return received.components(separatedBy: "\r\n").compactMap { line in
            line.hasPrefix("HTTP/1.") ? Int(line.dropFirst(9).prefix(3)) : nil
        }
    }
}

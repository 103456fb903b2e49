import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a job lease: one `SQLiteJobQueue` instance, with the host, process id and process
/// start time it runs in.
///
/// A SQLite file is shared only by processes on one machine, so a lease whose owner process no
/// longer exists there (killed with SIGKILL, crashed) can be taken back at once instead of
/// waiting for the lease to run out. The start time tells a dead process from a new one that
/// reuses its pid.
public struct SQLiteQueueInstance: Sendable, Hashable {
    /// Unique per queue instance; stored as the jobs' `lease_owner`.
    public var id: String
    public var host: String
    public var pid: Int32
    /// The process start time in clock ticks since boot (`/proc/PID/stat` field 22); 0 when unknown.
    public var processStart: Int64

    public init(id: String = UUID().uuidString, host: String, pid: Int32, processStart: Int64) {
        self.id = id
        self.host = host
        self.pid = pid
        self.processStart = processStart
    }

    /// This process, with a fresh instance id.
    public static func current() -> SQLiteQueueInstance {
        let pid = getpid()
        return SQLiteQueueInstance(host: hostName(), pid: pid, processStart: processStartTime(pid) ?? 0)
    }

    /// Whether `other`, seen from this instance, certainly no longer runs: same host, and its
    /// process is gone, a zombie, or a different process reusing the pid. Unknown → assumed alive.
    public func knowsDead(_ other: SQLiteQueueInstance) -> Bool {
        guard other.host == host, other.id != id else { return false }
        if other.pid == pid {
            // Same pid: another instance in this very process, unless the pid was reused.
            return other.processStart != 0 && processStart != 0 && other.processStart != processStart
        }
        #if os(Linux)
        guard let start = Self.processStartTime(other.pid) else { return true }
        return other.processStart != 0 && start != other.processStart
        #else
        return kill(other.pid, 0) != 0 && errno == ESRCH
        #endif
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The start time of a running (non-zombie) process, nil when there is none. Linux only.
    static func processStartTime(_ pid: Int32) -> Int64? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "pid (comm)": state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return Int64(fields[19])
        #else
        return kill(pid, 0) == 0 || errno == EPERM ? 0 : nil
        #endif
    }
}

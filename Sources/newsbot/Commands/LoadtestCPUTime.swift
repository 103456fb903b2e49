import Foundation

/// CPU seconds (user + system, every thread) this process has used, from /proc/self/stat; nil
/// elsewhere. The load tests report CPU per message over the measured window: on shared cores
/// it is the steadier figure, where wall time swings with other people's work.
enum LoadtestCPUTime {
    static func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / 100  // USER_HZ is 100 on Linux
    }
}

import Foundation

/// The CPU time this process has used (user and system), in seconds. Reported beside wall time
/// because on a shared, busy machine wall time mostly measures the other processes; CPU time is
/// what the command itself costs. (The benchmark is single-threaded.)
enum CPUTime {
    static func seconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

import Foundation

/// The process's peak resident memory, per measured phase where the system allows.
///
/// On Linux, writing 5 to /proc/self/clear_refs resets the peak (VmHWM) to the current resident
/// size, so each phase reports its own peak rather than the largest of all earlier phases.
/// Elsewhere the peak cannot be reset and getrusage's ru_maxrss is the peak of the whole run.
enum PeakMemory {
    /// Starts a new measurement; false when the peak could not be reset.
    @discardableResult
    static func reset() -> Bool {
        #if os(Linux)
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
        #else
        return false
        #endif
    }

    /// The peak resident size in bytes since the last reset (or since the process started).
    static func bytes() -> Int {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        #endif
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss
        #endif
    }
}

import Foundation

/// A long-running `matview` command (`worker`, `serve`, `dev`) in the background: its standard
/// output and standard error collected as they come, a signal to stop it, and its exit awaited
/// with an upper bound so a stuck process fails the test instead of hanging it.
public final class BackgroundMatview: @unchecked Sendable {
    public struct Exit {
        public var status: Int32
        public var reason: Process.TerminationReason
        public var stderr: String
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let output = CollectedPipe()
    private let errorOutput = CollectedPipe()

    public init(arguments: [String], databaseURL: String, directory: URL) throws {
        process.executableURL = try MatviewCLI.matviewBinary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": databaseURL]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output.pipe
        process.standardError = errorOutput.pipe
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    public var standardError: String { errorOutput.text }

    public var standardOutput: String { output.text }

    /// Waits until the process has printed `text` on standard output.
    public func waitForStandardOutput(containing text: String, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !standardOutput.contains(text) {
            guard Date() < deadline, process.isRunning else {
                throw Timeout(description: "matview \(process.arguments?.first ?? "") did not print \"\(text)\"\(process.isRunning ? "" : ", and it exited"); its standard error:\n\(standardError)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Waits until the process has logged `text` (at least `occurrences` times).
    public func waitForStandardError(containing text: String, occurrences: Int = 1, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while standardError.components(separatedBy: text).count - 1 < occurrences {
            guard Date() < deadline, process.isRunning else {
                throw Timeout(description: "matview \(process.arguments?.first ?? "") did not log \"\(text)\" (\(occurrences)x)\(process.isRunning ? "" : ", and it exited"); its standard error:\n\(standardError)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The address a server logged with `listening on http://HOST:PORT` (`serve` prints the port
    /// it got when given port 0), once it has.
    public func listeningURL(timeout: TimeInterval = 30) throws -> String {
        try waitForStandardError(containing: "listening on http://", timeout: timeout)
        guard let url = standardError.components(separatedBy: "listening on ").last?.split(whereSeparator: \.isWhitespace).first else {
            throw Timeout(description: "no address after 'listening on' in:\n\(standardError)")
        }
        return String(url)
    }

    /// Sends SIGTERM and waits for the process to exit.
    public func terminate(timeout: TimeInterval = 30) throws -> Exit {
        process.terminate()
        return try waitForExit(after: "SIGTERM", timeout: timeout)
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the process to exit.
    public func interrupt(timeout: TimeInterval = 30) throws -> Exit {
        process.interrupt()
        return try waitForExit(after: "SIGINT", timeout: timeout)
    }

    private func waitForExit(after signal: String, timeout: TimeInterval) throws -> Exit {
        guard exited.wait(timeout: .now() + timeout) == .success else {
            throw Timeout(description: "matview \(process.arguments?.first ?? "") did not exit within \(Int(timeout))s of \(signal); its standard error:\n\(standardError)")
        }
        // The pipes' last bytes may be read just after the exit.
        errorOutput.waitUntilClosed(timeout: 5)
        output.waitUntilClosed(timeout: 5)
        return Exit(status: process.terminationStatus, reason: process.terminationReason, stderr: standardError)
    }

    /// Ends a process a failed test left behind.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// One of the process's output pipes, read as the bytes come (a full pipe would block the
/// process), kept for the test to look at, and a signal when the writer closes it.
private final class CollectedPipe: @unchecked Sendable {
    // @unchecked: `data` is only touched under `lock`.
    let pipe = Pipe()
    private let closed = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var data = Data()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [weak self, closed] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                closed.signal()
            } else {
                self?.append(chunk)
            }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    private func append(_ chunk: Data) {
        lock.withLock { data.append(chunk) }
    }

    func waitUntilClosed(timeout: TimeInterval) {
        _ = closed.wait(timeout: .now() + timeout)
    }
}

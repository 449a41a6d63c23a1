import Foundation

/// A psql session of its own, fed statements through its standard input as a test goes: a
/// second (third...) connection that holds a transaction open, waits for a lock, or gets
/// terminated. Output goes to files, so a session that prints a lot never blocks on a pipe.
public final class PsqlSession {
    public let process: Process
    private let input: FileHandle
    private let outputFile: URL
    private let errorFile: URL

    /// `name` becomes the session's application_name, so a test can find its backend in
    /// pg_stat_activity and pg_locks.
    public init(_ server: PostgresServer, name: String, arguments: [String] = []) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("matview-psql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        outputFile = folder.appendingPathComponent("stdout")
        errorFile = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", server.url] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGAPPNAME"] = name
        process.environment = environment
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        input = pipe.fileHandleForWriting
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: outputFile.deletingLastPathComponent())
    }

    /// Sends statements; they run in order, as psql reads them.
    public func send(_ sql: String) {
        input.write(Data((sql + "\n").utf8))
    }

    public struct Outcome {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Closes standard input and waits for psql to end.
    @discardableResult
    public func finish() -> Outcome {
        try? input.close()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
    }
}

extension PostgresServer {
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String
    }

    /// Polls `sql` until it returns `expected`: how a test waits for another session to reach
    /// a point (hold a lock, wait for one). The timeout only keeps a broken test from hanging.
    public func waitFor(_ sql: String, _ expected: String, _ what: String, timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try value(sql) != expected {
            guard Date() < deadline else { throw Timeout(description: "timed out waiting until \(what)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

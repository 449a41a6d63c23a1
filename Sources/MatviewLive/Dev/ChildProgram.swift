import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its exit, for the steps of `matview dev` (initdb, pg_ctl, psql, apt-get):
/// standard input from /dev/null, the outputs to /dev/null or a file (never a pipe of ours).
enum ChildProgram {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The exit status (a signal that ended the child counts as 128 + its number). For programs
    /// that leave nothing running behind them: see `runLeavingNothingInherited` for the others.
    static func run(_ executable: String, _ arguments: [String], standardOutput: FileHandle = .nullDevice,
                    standardError: FileHandle = .nullDevice, environment: [String: String]? = nil,
                    directory: URL? = nil) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = standardOutput
        process.standardError = standardError
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                let status = finished.terminationStatus
                continuation.resume(returning: finished.terminationReason == .uncaughtSignal ? 128 + status : status)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: Failure(description: "cannot run \(executable): \(error.localizedDescription)"))
            }
        }
    }

    /// A file to collect a child's output in (created or emptied).
    static func logFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw Failure(description: "cannot create \(url.path)")
        }
        return try FileHandle(forWritingTo: url)
    }

    /// Runs a program that leaves a daemon behind (`pg_ctl start`), which must inherit nothing
    /// from us but the three standard descriptors, as scripts/pg-cluster.sh's `_pg_server_start`
    /// ensures in bash. On Linux, Foundation's Process passes its child one more: a socket whose
    /// closing tells it that the child exited. The server would inherit it from pg_ctl and keep
    /// it open, so the exit of pg_ctl would never be noticed (and pg_ctl never reaped). Here the
    /// child is spawned directly, every other descriptor closed, the signals we ignore (the
    /// ServiceGroup's SIGINT and SIGTERM, SIGPIPE) reset, and its exit awaited with waitpid.
    static func runLeavingNothingInherited(_ executable: String, _ arguments: [String], standardOutput: FileHandle,
                                           standardError: FileHandle) async throws -> Int32 {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError.fileDescriptor, 2)
        // glibc ignores a close of a descriptor that is no longer open (the listing's own, one
        // closed meanwhile), so the list need not be exact; new ones are close-on-exec.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
        }
        #else
        // Elsewhere Foundation learns of the exit from the kernel and passes no extra descriptor.
        return try await run(executable, arguments, standardOutput: standardOutput, standardError: standardError)
        #endif
    }
}

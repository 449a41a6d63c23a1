import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The throwaway PostgreSQL 15 of `matview dev`, with pg_cron preloaded and installed in its one
/// database.
///
/// The same cluster as scripts/pg-cluster.sh starts for the tests (keep the two alike; the script
/// cannot be used here, since a user's project does not have it): a new temporary folder
/// (`$TMPDIR/matview-dev.XXXXXX`), a non-root server user (`matview_pg`, created when we are
/// root, since PostgreSQL refuses to run as root), initdb with trust authentication, a free port
/// on 127.0.0.1 and a Unix socket in the folder, `shared_preload_libraries=pg_cron` with
/// `cron.database_name` set to the database (so `apply` schedules its jobs there), fsync off (a
/// throwaway needs no durability). Unlike the script, pg_hba.conf gets no line for the tests'
/// password role.
public final class ThrowawayPostgres: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static let serverUser = "matview_pg"

    public let installation: PostgresInstallation
    public let directory: URL
    public let port: Int
    public let database: String

    private init(installation: PostgresInstallation, directory: URL, port: Int, database: String) {
        self.installation = installation
        self.directory = directory
        self.port = port
        self.database = database
    }

    /// The URL clients use: `postgres://postgres@127.0.0.1:PORT/DATABASE` (as scripts/pg-cluster.sh's).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/\(database)" }

    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var serverLog: URL { directory.appendingPathComponent("server.log") }

    /// Creates the folder and the cluster, starts the server, creates the database and pg_cron in
    /// it. `port` nil or 0 takes a free one. On any failure what was started is stopped and the
    /// folder removed before the error is thrown.
    public static func start(installation: PostgresInstallation, database: String, port requestedPort: Int?,
                             progress: @Sendable (String) -> Void) async throws -> ThrowawayPostgres {
        let runningAsRoot = geteuid() == 0
        if runningAsRoot { try await createServerUser() }
        let directory = try makeTemporaryDirectory()
        let port: Int
        do {
            port = try requestedPort.flatMap { $0 == 0 ? nil : $0 } ?? freeLoopbackPort()
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        let postgres = ThrowawayPostgres(installation: installation, directory: directory, port: port, database: database)
        progress("starting PostgreSQL 15 with pg_cron on 127.0.0.1:\(port), data in \(directory.path)")
        do {
            if runningAsRoot { try changeOwner(of: directory, to: serverUser) }
            try await postgres.initialise()
            try await postgres.startServer()
            try await postgres.createDatabase()
        } catch {
            await postgres.stopAndRemove()
            progress("removed \(directory.path)")
            throw error
        }
        return postgres
    }

    /// Stops the server (fast: sessions are ended, nothing is waited for) and removes the folder.
    /// Harmless when the server is not running.
    public func stopAndRemove() async {
        let pgCtl = serverUserCommand(installation.program("pg_ctl"), ["-D", dataDirectory.path, "-m", "fast", "-w", "stop"])
        if FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("postmaster.pid").path) {
            _ = try? await ChildProgram.run(pgCtl.executable, pgCtl.arguments)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `SHOW server_version`, for the line that says the database is ready.
    public func serverVersion() async -> String? {
        guard let connection = try? await LiveConnection.open(url + "?sslmode=disable") else { return nil }
        let version = try? await connection.rows("SHOW server_version").first?.first ?? nil
        await connection.close()
        return version
    }

    // MARK: - The steps

    private func initialise() async throws {
        let logURL = directory.appendingPathComponent("initdb.log")
        let log = try ChildProgram.logFile(logURL)
        let initdb = serverUserCommand(installation.program("initdb"),
                                       ["-D", dataDirectory.path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        let status = try await ChildProgram.run(initdb.executable, initdb.arguments, standardOutput: log, standardError: log)
        try? log.close()
        guard status == 0 else {
            throw Failure(description: "initdb failed (exit \(status)): \(Self.lastLines(of: logURL))")
        }
    }

    /// pg_ctl start, waiting until the server accepts connections. Its output goes to a file and
    /// the server's log to server.log, and the server inherits no descriptor of ours (see
    /// ChildProgram.runLeavingNothingInherited).
    private func startServer() async throws {
        let options = [
            "-c port=\(port)", "-c listen_addresses=127.0.0.1",
            // pg_ctl hands the options to /bin/sh: the folder is quoted for it.
            "-c unix_socket_directories=\(Self.shellQuoted(directory.path))",
            "-c shared_preload_libraries=pg_cron", "-c cron.database_name=\(database)", "-c fsync=off",
        ].joined(separator: " ")
        let pgCtl = serverUserCommand(installation.program("pg_ctl"),
                                      ["-D", dataDirectory.path, "-l", serverLog.path, "-w", "-t", "60", "start", "-o", options])
        let logURL = directory.appendingPathComponent("pg_ctl.log")
        let log = try ChildProgram.logFile(logURL)
        let status = try await ChildProgram.runLeavingNothingInherited(pgCtl.executable, pgCtl.arguments, standardOutput: log, standardError: log)
        try? log.close()
        guard status == 0 else {
            let reason = Self.serverComplaints(in: serverLog) ?? Self.lastLines(of: logURL)
            throw Failure(description: "PostgreSQL did not start (pg_ctl exit \(status)): \(reason)")
        }
    }

    /// The database, and pg_cron in it: cron.database_name names it, and only there can the
    /// extension be created.
    private func createDatabase() async throws {
        let base = "postgres://postgres@127.0.0.1:\(port)"
        let server = try await LiveConnection.open("\(base)/postgres?sslmode=disable")
        do {
            try await server.run(script: "CREATE DATABASE \(Self.quotedIdentifier(database))")
            await server.close()
        } catch {
            await server.close()
            throw error
        }
        let connection = try await LiveConnection.open("\(base)/\(database)?sslmode=disable")
        do {
            try await connection.run(script: "CREATE EXTENSION IF NOT EXISTS pg_cron")
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    // MARK: - Helpers

    /// A command run as the server user: through runuser when we are root.
    private func serverUserCommand(_ program: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        geteuid() == 0 ? ("/usr/sbin/runuser", ["-u", Self.serverUser, "--", program] + arguments) : (program, arguments)
    }

    private static func createServerUser() async throws {
        if getpwnam(serverUser) != nil { return }
        let status = try await ChildProgram.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", serverUser],
                                                standardError: .standardError)
        // Another process may have created it meanwhile; only its absence is a failure.
        guard status == 0 || getpwnam(serverUser) != nil else {
            throw Failure(description: "cannot create the user \(serverUser) to run PostgreSQL as (useradd exit \(status))")
        }
    }

    /// `mktemp -d "${TMPDIR:-/tmp}/matview-dev.XXXXXX"`, readable by all (the socket is in it).
    private static func makeTemporaryDirectory() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let parent = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(parent.hasSuffix("/") ? String(parent.dropLast()) : parent)/matview-dev.XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure(description: "cannot create a folder in \(parent): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: created)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    private static func changeOwner(of directory: URL, to user: String) throws {
        guard let entry = getpwnam(user), chown(directory.path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw Failure(description: "cannot give \(directory.path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// A port on 127.0.0.1 that nothing listens on now (the kernel's pick for port 0).
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "cannot open a socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// What the server said about why it stopped, on one line: `LOG:  could not bind IPv4
    /// address "127.0.0.1": Address already in use; ...; FATAL:  could not create any TCP/IP
    /// sockets`, without the timestamps and process ids.
    private static func serverComplaints(in log: URL) -> String? {
        let complaints = lines(of: log).filter { line in
            ["FATAL:", "ERROR:", "HINT:", "could not"].contains { line.contains($0) }
        }.map { line in
            ["FATAL:", "ERROR:", "WARNING:", "HINT:", "LOG:"].compactMap { line.range(of: $0) }.first.map { String(line[$0.lowerBound...]) } ?? line
        }
        return complaints.isEmpty ? nil : complaints.suffix(4).joined(separator: "; ")
    }

    private static func lines(of file: URL) -> [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A log's last lines on one line, for a one-line failure message.
    private static func lastLines(of file: URL) -> String {
        let tail = lines(of: file).suffix(3).joined(separator: "; ")
        return tail.isEmpty ? "(no output)" : tail
    }
}

import Foundation

/// Runs a SQL file with psql, as `matview dev` loads the project's schema files and the data
/// script: psql, not the statement runner of `apply`, because these are psql scripts. The
/// checker reads schema files as pg_dump writes them (meta-commands such as `\restrict`, `COPY
/// ... FROM stdin` with its rows), and a data script may well use `\copy` or `\set`. psql also
/// names the file and line of a failing statement, which becomes the one-line message.
public struct PsqlScript: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let psql: String
    let url: String

    public init(installation: PostgresInstallation, url: String) {
        psql = installation.program("psql")
        self.url = url
    }

    /// Runs `path` (as the user wrote it, relative to `directory`) with ON_ERROR_STOP; its
    /// output (query results, notices) goes to our standard error, keeping standard output for
    /// the URL. On failure, `path:line: ERROR: message` as psql reports it.
    public func run(_ path: String, in directory: URL, log: URL) async throws {
        let errors = try ChildProgram.logFile(log)
        // -X: no ~/.psqlrc; the URL's own parameters win over PG* variables of the environment.
        let status = try await ChildProgram.run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url + "?sslmode=disable", "-f", path],
                                                standardOutput: .standardError, standardError: errors, directory: directory)
        try? errors.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(description: Self.firstError(output, path: path, status: status)) }
        if !output.isEmpty { FileHandle.standardError.write(Data(output.utf8)) }
    }

    /// psql writes `psql:FILE:LINE: ERROR:  message` and then context lines; the first such line,
    /// without psql's prefix, is the message.
    static func firstError(_ output: String, path: String, status: Int32) -> String {
        let lines = output.split(separator: "\n").map(String.init)
        guard let line = lines.first(where: { $0.contains("ERROR:") || $0.contains("FATAL:") }) ?? lines.first(where: { !$0.isEmpty }) else {
            return "\(path): psql failed (exit \(status))"
        }
        var message = line.hasPrefix("psql:") ? String(line.dropFirst("psql:".count)) : line
        message = message.replacingOccurrences(of: "ERROR:  ", with: "ERROR: ").replacingOccurrences(of: "FATAL:  ", with: "FATAL: ")
        return message.hasPrefix(path) ? message : "\(path): \(message)"
    }
}

import Foundation
import XCTest

/// A PostgreSQL cluster of a test's own, started by the project's scripts/pg-cluster.sh (a
/// temporary folder, loopback, pg_cron preloaded), for tests that stop and restart the database
/// under a client: the suite's shared server must stay up for the other tests.
public final class ThrowawayCluster {
    public let url: String
    public let directory: String
    public let port: String
    private static let script = TestTools.repositoryRoot.appendingPathComponent("scripts/pg-cluster.sh").path

    /// Starts one; skips without PostgreSQL, except under CI.
    public init() throws {
        let output = try Self.shell("pg_start >&2 && echo \"$DATABASE_URL|$PG_DIR|$PG_PORT\"")
        let parts = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        guard parts.count == 3 else { throw PostgresServer.Failure(description: "pg_start printed \(output)") }
        (url, directory, port) = (parts[0], parts[1], parts[2])
    }

    public var server: PostgresServer { PostgresServer(url: url) }

    /// Stops the server, keeping its data (pg_pause).
    public func pause() throws { _ = try Self.shell("PG_DIR=\(quoted(directory)) PG_PORT=\(port) pg_pause") }

    /// Starts it again on the same port (pg_resume).
    public func resume() throws { _ = try Self.shell("PG_DIR=\(quoted(directory)) PG_PORT=\(port) pg_resume") }

    /// Stops it and removes its folder.
    public func remove() {
        _ = try? Self.shell("PG_DIR=\(quoted(directory)) pg_stop")
    }

    private func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private static func shell(_ command: String) throws -> String {
        guard FileManager.default.fileExists(atPath: "/usr/lib/postgresql/15/bin/pg_ctl") else {
            throw TestTools.missing("PostgreSQL 15 is not installed", installedBy: "scripts/install-postgres.sh")
        }
        let output = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "source \(script) && \(command)"])
        guard output.status == 0 else {
            throw PostgresServer.Failure(description: "scripts/pg-cluster.sh: \(command) failed:\n\(output.stderr)")
        }
        return output.stdout
    }
}

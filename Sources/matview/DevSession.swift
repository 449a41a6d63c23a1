import Foundation
import MatviewCommandLine
import MatviewLive
import MatviewServer

/// The life of `matview dev`'s database, run inside UntilSignalled: start the cluster, load the
/// schema files and the data script, create the roles the project grants to, apply, print the
/// URL, wait for SIGINT or SIGTERM (serving the dashboard meanwhile with --serve), then stop the
/// server and remove its folder, whatever happened. A signal during the start ends it after the
/// step under way.
struct DevSession: Sendable {
    let installation: PostgresInstallation
    let database: String
    let port: Int?
    let projectRoot: URL
    let schemaFiles: [String]
    let data: String?
    let workingDirectory: URL
    let roles: [String]
    let deployment: Deployment
    let dashboard: ListenAddress?
    let supportSchema: String

    @Sendable static func progress(_ line: String) {
        printError("matview: \(line)\n")
    }

    /// The exit status: 0 when stopped by a signal, 1 when something failed.
    func run() async -> Int32 {
        let postgres: ThrowawayPostgres
        do {
            postgres = try await ThrowawayPostgres.start(installation: installation, database: database, port: port, progress: Self.progress)
        } catch {
            return Self.failed(error)
        }
        let status = await prepareAndWait(postgres)
        await postgres.stopAndRemove()
        Self.progress("stopped PostgreSQL and removed \(postgres.directory.path)")
        return status
    }

    private func prepareAndWait(_ postgres: ThrowawayPostgres) async -> Int32 {
        do {
            let psql = PsqlScript(installation: installation, url: postgres.url)
            let errors = postgres.directory.appendingPathComponent("psql.log")
            for file in schemaFiles {
                if UntilSignalled.signalled { return 0 }
                try await psql.run(file, in: projectRoot, log: errors)
                Self.progress("loaded \(file)")
            }
            if let data {
                if UntilSignalled.signalled { return 0 }
                try await psql.run(data, in: workingDirectory, log: errors)
                Self.progress("loaded \(data)")
            }
            if UntilSignalled.signalled { return 0 }
            try await apply(on: postgres)
            if UntilSignalled.signalled { return 0 }
            let version = await postgres.serverVersion().map { " \($0)" } ?? ""
            // Alone on standard output: `read url` or `head -1` in a script takes it as it is.
            FileHandle.standardOutput.write(Data("\(postgres.url)\n".utf8))
            Self.progress("ready: PostgreSQL\(version) with pg_cron at \(postgres.url); Ctrl-C stops it and removes its folder")
            Self.progress("in another shell: export DATABASE_URL=\(postgres.url)")
            if let dashboard {
                try await serve(dashboard, url: postgres.url)
            } else {
                await UntilSignalled.waitForSignal()
            }
            return 0
        } catch {
            return Self.failed(error)
        }
    }

    /// Ctrl-C in a terminal reaches the program running a step too (initdb, psql), which then
    /// fails: that is the stop that was asked for, not a failure to report.
    private static func failed(_ error: Error) -> Int32 {
        if UntilSignalled.signalled {
            progress("interrupted while starting")
            return 0
        }
        printError("matview: \(error)\n")
        return 1
    }

    private func apply(on postgres: ThrowawayPostgres) async throws {
        let connection = try await LiveConnection.open(postgres.url + "?sslmode=disable")
        do {
            try await createMissingRoles(on: connection)
            let plan = try await deployment.plan(on: connection)
            do {
                try await deployment.apply(on: connection)
            } catch let failure as LiveConnection.Failure {
                throw LiveConnection.Failure("apply failed: \(failure.description)")
            }
            Self.progress("applied \(plan.count) view\(plan.count == 1 ? "" : "s"): \(plan.map(\.view).joined(separator: ", "))")
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    /// After the schema files, which may create some of them themselves.
    private func createMissingRoles(on connection: LiveConnection) async throws {
        let existing = Set(try await connection.rows("SELECT rolname::text FROM pg_roles").compactMap { $0.first ?? nil })
        let missing = roles.filter { !existing.contains($0) }
        guard !missing.isEmpty else { return }
        for role in missing {
            try await connection.run(script: "CREATE ROLE \"\(role.replacingOccurrences(of: "\"", with: "\"\""))\" LOGIN")
        }
        Self.progress("created the role\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (granted to by the project; LOGIN, trusted like every role here)")
    }

    /// The dashboard until the signal; it stops with the group's shutdown either way (its own
    /// group hears the signal too, and it is cancelled when ours does).
    private func serve(_ address: ListenAddress, url: String) async throws {
        let server = DashboardServer(databaseURL: url, supportSchema: supportSchema, listen: address)
        do {
            try await UntilSignalled.cancellingOnSignal { try await server.runUntilSignalled() }
        } catch {
            if UntilSignalled.signalled { return }
            throw LiveConnection.Failure("cannot serve on \(address): \(error)")
        }
    }
}

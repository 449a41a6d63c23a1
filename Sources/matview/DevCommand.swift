import ArgumentParser
import Foundation
import MatviewCommandLine
import MatviewDriver
import MatviewLive
import MatviewServer

/// `matview dev`: a throwaway local database to try the project on (see DevSession). What needs
/// no database is done first, so a project with errors, or a data script that is not there,
/// starts nothing.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Start a throwaway PostgreSQL 15 with pg_cron, load the schema (and --data), generate if stale, apply, and print its URL; Ctrl-C stops and removes it.",
        discussion: """
            The cluster lives in a new folder under $TMPDIR (default /tmp), listens on 127.0.0.1 \
            only and trusts every local connection. PostgreSQL 15 and pg_cron come from Debian's \
            packages (postgresql-15, postgresql-15-cron), installed when missing if matview runs \
            as root; PG_BIN names another PostgreSQL 15's bin folder. When the database is ready \
            its URL is printed alone on standard output (postgres://postgres@127.0.0.1:PORT/matview_dev); \
            progress goes to standard error. matview then waits for SIGINT (Ctrl-C) or SIGTERM, \
            stops the server, removes the folder and exits 0. A failure on the way (a schema or \
            data statement PostgreSQL rejects, a failed apply) is one line on standard error, \
            and the cluster is removed before matview exits 1.
            """)

    /// The database's name; pg_cron's cron.database_name names it too.
    static let databaseName = "matview_dev"

    @OptionGroup var project: ProjectOptions
    @Option(help: ArgumentHelp("A SQL script to load after the schema and before apply, run with psql (\\copy and \\set work).",
                               valueName: "file"))
    var data: String?
    @Flag(help: "Also serve the dashboard, /metrics and /healthz (as `matview serve`).") var serve = false
    @Option(help: "With --serve: HOST:PORT, [IPv6]:PORT or PORT to listen on (0: any free port; default \(ListenAddress.default)).")
    var listen: String?
    @Option(help: "PostgreSQL's port on 127.0.0.1 (default: a free one).") var port: Int?

    func validate() throws {
        if let listen {
            guard serve else { throw ValidationError("--listen sets where the dashboard listens: add --serve") }
            do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port takes 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        if let data, !FileManager.default.isReadableFile(atPath: URL(fileURLWithPath: data, relativeTo: workingDirectory).path) {
            printError("matview: cannot read the data script \(data)\n")
            throw ExitCode(1)
        }
        let compiled = try CompiledProject(project)
        try Self.generateIfStale(compiled)
        let installation: PostgresInstallation
        do {
            installation = try await PostgresInstallation.locate(progress: DevSession.progress)
        } catch {
            printError("matview: \(error)\n")
            throw ExitCode(1)
        }
        let session = DevSession(
            installation: installation, database: Self.databaseName, port: port,
            projectRoot: compiled.project.root, schemaFiles: compiled.project.schemaFiles,
            data: data, workingDirectory: workingDirectory,
            roles: Self.rolesNamed(compiled), deployment: compiled.deployment,
            dashboard: serve ? try ListenAddress(parsing: listen ?? ListenAddress.default.description) : nil,
            supportSchema: compiled.project.config.supportSchema)
        let status = try await UntilSignalled.run { await session.run() }
        if status != 0 { throw ExitCode(status) }
    }

    /// What `matview generate` does when `generate --check` would report a difference (including
    /// a generated/ that is not there): the database gets what the committed files say.
    static func generateIfStale(_ compiled: CompiledProject) throws {
        let generation = Generation(project: compiled.project, compiled: compiled.output)
        let folders = generation.outputs.map(\.folder.displayPath).joined(separator: " and ")
        do {
            if try generation.diff().isEmpty {
                DevSession.progress("\(folders): up to date")
                return
            }
            let changed = try generation.write()
            DevSession.progress("\(folders) missing or stale: wrote \(changed.count) file\(changed.count == 1 ? "" : "s") (as `matview generate` does)")
        } catch {
            printError("matview: cannot write generated files: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// The roles apply grants to (views' `grants`, `postgres.monitoring_role`): apply fails where
    /// they do not exist, and in a throwaway cluster creating them is harmless.
    static func rolesNamed(_ compiled: CompiledProject) -> [String] {
        var roles = Set(compiled.output.project.views.flatMap(\.grants))
        if let monitoring = compiled.project.config.monitoringRole { roles.insert(monitoring) }
        return roles.sorted()
    }
}

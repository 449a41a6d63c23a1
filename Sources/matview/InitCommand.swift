import ArgumentParser
import Foundation
import MatviewCommandLine
import MatviewDriver
import MatviewLive

/// `matview init`: a new project that checks clean at once. It writes nothing when any file it
/// would write exists (or `specs/` already holds files), so it cannot clobber a project; it only
/// appends to an existing `.gitignore`.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Scaffold a project: matview.yaml, specs/ with a schema and an example spec, .gitignore lines and a CI workflow.",
        discussion: """
            Writes into --root (default: the current directory), creating it if needed, and never \
            over an existing file: when one exists it writes nothing and exits 1. With \
            --database-url the schema comes from that database (as `matview introspect` prints it) \
            and the example spec reads one of its tables; DATABASE_URL is not read, so init never \
            copies a database's tables into a project unasked.
            """)

    @Option(help: "The folder to scaffold (default: the current directory; created when missing).")
    var root: String?

    @Option(name: .customLong("database-url"), help: "Take specs/schema.sql from this database's tables (postgres://user:password@host:port/database).")
    var databaseURL: String?

    func validate() throws {
        if let databaseURL, databaseURL.isEmpty { throw ValidationError("--database-url is empty") }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: root ?? FileManager.default.currentDirectoryPath, isDirectory: true)
        let scaffold: ProjectScaffold
        if let databaseURL {
            // DatabaseOptions' connection handling (one line and exit 1 on a connection failure),
            // given the URL explicitly so that DATABASE_URL plays no part.
            let database = try DatabaseOptions.parse(["--database-url=\(databaseURL)"])
            let schema = try await database.withConnection { connection in
                try await Introspector(supportSchema: ProjectConfig().supportSchema).ddl(on: connection)
            }
            scaffold = .introspected(schema: schema)
        } else {
            scaffold = .example
        }
        let conflicts = scaffold.conflicts(in: folder)
        guard conflicts.isEmpty else {
            printError("matview: init writes only into a folder without a project; these exist: \(conflicts.joined(separator: ", "))\n")
            printError("matview: nothing was written (move them away, or run init in another folder with --root)\n")
            throw ExitCode(1)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for line in try scaffold.write(to: folder) { print(line) }
        } catch let error as FileError {
            printError("matview: \(error.description)\n")
            throw ExitCode(1)
        } catch {
            // The folder could not be created (a file has its name, no permission).
            printError("matview: cannot write into \(folder.path): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        print("next: matview check, then matview generate (commit generated/ with the specs)")
    }
}

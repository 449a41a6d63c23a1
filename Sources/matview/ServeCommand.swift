import ArgumentParser
import MatviewCommandLine
import MatviewServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the monitoring dashboard, /metrics (Prometheus) and /healthz until stopped (SIGTERM/SIGINT).",
        discussion: """
            Read-only: the connected role needs only SELECT on the support schema (see \
            postgres.monitoring_role in matview.yaml). While the database cannot be read the pages \
            say so, /healthz answers 503 and /metrics reports matview_up 0; the server keeps \
            running and recovers when the database returns. Logs go to standard error.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "HOST:PORT, [IPv6]:PORT or PORT to listen on (0: any free port).")
    var listen: String = ListenAddress.default.description

    func validate() throws {
        do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        let loaded = MatviewDriverProject.load(project)
        let address = try ListenAddress(parsing: listen)
        let server = DashboardServer(databaseURL: try database.url(), supportSchema: loaded.config.supportSchema, listen: address)
        do {
            try await server.runUntilSignalled()
        } catch {
            printError("matview: cannot serve on \(address): \(error)\n")
            throw ExitCode(1)
        }
    }
}

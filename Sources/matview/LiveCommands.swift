import ArgumentParser
import Foundation
import MatviewCommandLine
import MatviewDriver
import MatviewLive

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the generated SQL; report each view as created, rebuilt, unchanged or dropped.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print the plan and change nothing.") var dryRun = false
    @Flag(help: "Apply even when the database's tables differ from the schema files (the differences are printed as warnings).")
    var allowDrift = false

    func run() async throws {
        let compiled = try CompiledProject(project)
        let deployment = compiled.deployment
        try await database.withConnection { connection in
            // The specs were checked, and the Swift generated, against the schema files: refuse
            // to build views over tables that no longer match them.
            let drift = try await CatalogDrift.differences(for: compiled.output.project, on: connection)
            if !drift.isEmpty && !allowDrift {
                for difference in drift { printError("\(difference)\n") }
                printError("matview: the database's tables differ from the schema files; nothing was applied (fix one or the other, or pass --allow-drift)\n")
                throw ExitCode(1)
            }
            for difference in drift { printError("warning: \(difference)\n") }
            let plan = try await deployment.plan(on: connection)
            for step in plan { print("\(step.view): \(dryRun ? "would be " : "")\(Self.describe(step.action))") }
            if dryRun { return }
            try await deployment.apply(on: connection)
            printError("matview: applied (\(plan.filter { $0.action != .unchanged }.count) of \(plan.count) views changed)\n")
        }
    }

    static func describe(_ action: Deployment.Action) -> String {
        switch action {
        case .create: "created"
        case .rebuild: "rebuilt"
        case .unchanged: "unchanged"
        case .drop: "dropped"
        }
    }
}

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "Remove everything apply created.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let deployment = try CompiledProject(project).deployment
        try await database.withConnection { connection in
            try await deployment.rollback(on: connection)
            printError("matview: rolled back\n")
        }
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare each view's rows with its defining query, both directions, and the tables with the schema files; exit 1 when any differs.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this view.") var view: String?
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() async throws {
        let compiled = try CompiledProject(project)
        let (drift, results) = try await database.withConnection { connection in
            // Reported before the rows are compared, which may fail on a table that is gone.
            let drift = try await CatalogDrift.differences(for: compiled.output.project, on: connection)
            for difference in drift {
                if format == .text { print(difference) } else { printError("\(difference)\n") }
            }
            return (drift, try await Verifier(supportSchema: compiled.project.config.supportSchema).verify(on: connection, only: view))
        }
        switch format {
        case .text: print(Verifier.text(results), terminator: "")
        case .json: print(try JSON.encode(results))
        }
        if !drift.isEmpty || results.contains(where: { !$0.equal }) { throw ExitCode(1) }
    }
}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time reads of each view against its defining query, lookups by unique index, and refreshes.",
        discussion: """
            Reads and lookups run as prepared statements, the view's and the query's alike, and are timed \
            by the client (round trip included) and by the server (EXPLAIN ANALYZE: execution and planning \
            time). Speedup is the query's median over the view's; --min-speedup checks the server \
            execution speedup, what reading the view saves the database.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this view.") var view: String?
    @Option(help: "Runs per measurement.") var runs = 5
    @Option(help: "text or json.") var format: OutputFormat = .text
    @Option(help: ArgumentHelp(
        "Exit 1 when a read or lookup's server execution speedup (query median / view median) is below this.",
        discussion: "Each such measure is named on standard error; refreshes are not checked."))
    var minSpeedup: Double?

    func run() async throws {
        let loaded = MatviewDriverProject.load(project)
        let results = try await database.withConnection { connection in
            try await Benchmark(supportSchema: loaded.config.supportSchema, runs: runs).run(on: connection, only: view)
        }
        switch format {
        case .text: print(Benchmark.text(results), terminator: "")
        case .json: print(try JSON.encode(results))
        }
        if let minSpeedup {
            let slow = Benchmark.belowMinimum(results, minimum: minSpeedup)
            for line in slow { printError("matview: \(line)\n") }
            if !slow.isEmpty { throw ExitCode(1) }
        }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Freshness, last refresh, duration, rows, failures, queue and cron jobs; exit 1 when a view is stale or failing.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "text or json.") var format: OutputFormat = .text

    func run() async throws {
        let loaded = MatviewDriverProject.load(project)
        let report = try await database.withConnection { connection in
            try await StatusReport.load(on: connection, supportSchema: loaded.config.supportSchema)
        }
        switch format {
        case .text: print(report.text(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil), terminator: "")
        case .json: print(try JSON.encode(report))
        }
        if !report.healthy { throw ExitCode(1) }
    }
}

struct IntrospectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "introspect", abstract: "Print the live database's tables as catalog DDL that check accepts.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let loaded = MatviewDriverProject.load(project)
        let ddl = try await database.withConnection { connection in
            try await Introspector(supportSchema: loaded.config.supportSchema).ddl(on: connection)
        }
        print(ddl, terminator: "")
    }
}

import ArgumentParser
import MatviewCommandLine
import MatviewLive

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Apply queued changes continuously where pg_cron is absent (one drainer per database; stops cleanly on SIGTERM/SIGINT).",
        discussion: """
            Runs until stopped, draining the queue the way pg_cron's drain job does: it waits out an \
            unreachable server, a support schema not yet deployed and another drainer holding the \
            lock, and steps aside while `matview apply` or a rollback runs. Logs go to standard error.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Seconds to sleep between rounds.") var pollInterval: Double = 0.2

    func validate() throws {
        // An hour at most: beyond that the worker would do less than pg_cron's minutely job,
        // and Duration(seconds:) must not overflow.
        guard pollInterval.isFinite, pollInterval > 0, pollInterval <= 3600 else {
            throw ValidationError("--poll-interval must be a number of seconds greater than 0 and at most 3600")
        }
    }

    func run() async throws {
        let loaded = MatviewDriverProject.load(project)
        let worker: DrainWorker
        do {
            worker = try DrainWorker(databaseURL: try database.url(), supportSchema: loaded.config.supportSchema,
                                     pollInterval: .seconds(pollInterval))
        } catch let failure as LiveConnection.Failure {
            printError("matview: \(failure.description)\n")
            throw ExitCode(1)
        }
        try await worker.runUntilSignalled()
    }
}

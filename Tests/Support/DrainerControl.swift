import Foundation

/// The drainer and pg_cron's jobs, as tests see and stop them: a test that counts what a drain
/// did must not share the queue with a drain it did not start.
extension PostgresServer {
    /// A query that counts the sessions named `applicationName` that hold a session-level
    /// advisory lock (the drainer's lock is the only one of ours): 1 once a drainer runs there.
    public static func holdsDrainerLock(_ applicationName: String) -> String {
        """
        SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name = '\(applicationName)' AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        """
    }

    /// Switches pg_cron's jobs off and waits until no drainer it started is still running: a
    /// run that began at the minute just before would keep draining for up to a minute and take
    /// the changes a test looks for, so it is cancelled (its round rolls back; nothing is lost).
    /// Only pg_cron's run is (its command has no arguments); a test's own drainer has some.
    public func switchCronJobsOff() throws {
        try execute("UPDATE cron.job SET active = false")
        try execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CALL %.run_drainer()' AND pid <> pg_backend_pid()")
        try waitFor("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CALL %run_drainer%' AND state <> 'idle' AND pid <> pg_backend_pid()",
                    "0", "pg_cron's drainer run has ended")
    }
}

import MatviewLowering
import Logging
import MatviewSQL
import MatviewSyntax

/// One connection's share of the worker: waits for the support schema and the drainer lock,
/// drains while it holds the lock, steps aside for an apply or rollback. Any error is thrown to
/// the worker, which closes the connection (releasing the lock) and reconnects.
struct DrainSession {
    /// Why the session waits, remembered so that each wait is logged when it starts, not on
    /// every look.
    enum Waiting: Equatable {
        case supportSchema, lockHeldElsewhere, steppedAside
    }

    /// Why a spell of draining ended.
    enum Stop {
        case shutdown, stepAside
    }

    let connection: LiveConnection
    let names: SupportNames
    let pollInterval: Duration
    let logger: Logger

    private var waiting: Waiting?
    /// The refresh log's highest id already accounted for: rows above it with trigger_source
    /// 'worker' are this worker's own (it is the only drainer while it holds the lock).
    private var logWatermark = "0"

    init(connection: LiveConnection, names: SupportNames, pollInterval: Duration, logger: Logger) {
        self.connection = connection
        self.names = names
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Returns on graceful shutdown, the lock released.
    mutating func serve() async throws {
        while !Task.isShuttingDownGracefully {
            guard try await supportSchemaDeployed() else {
                wait(.supportSchema, "the support schema \(names.schema) is not deployed (matview apply creates it); checking every \(DrainWorker.seconds(DrainWorker.recheckInterval))")
                await DrainWorker.pause(DrainWorker.recheckInterval)
                continue
            }
            guard try await flag("\(names.qualified("drainer_lock"))()") else {
                // Right after stepping aside the apply itself holds the lock: that was logged.
                if waiting != .steppedAside {
                    wait(.lockHeldElsewhere, "another drainer is running (pg_cron or another worker); waiting")
                }
                await DrainWorker.pause(DrainWorker.recheckInterval)
                continue
            }
            logger.info(waiting == .steppedAside ? "resumed draining" : "draining (this session holds the drainer lock)")
            waiting = nil
            let stop = try await drain()
            try await unlock()
            if stop == .stepAside {
                wait(.steppedAside, "an apply or rollback is waiting; pausing")
                await DrainWorker.pause(DrainWorker.stepAsidePause)
            }
        }
    }

    /// `run_drainer`'s loop: due views one at a time, each its own transaction, checking between
    /// views and after each round whether to stop; then, unless the round refreshed something
    /// (which may have marked the views that read it), a nap until the next view is due, at most
    /// the poll interval.
    private mutating func drain() async throws -> Stop {
        logWatermark = try await value("SELECT coalesce(max(id), 0)::text FROM \(names.qualified("refresh_log"))") ?? "0"
        while true {
            let due = try await connection.rows("SELECT due.view_name FROM \(names.qualified("due_views"))() AS due(view_name)")
                .compactMap { $0.first ?? nil }
            var refreshed = false
            for view in due {
                if let stop = try await stopRequested() { return stop }
                refreshed = try await drainView(view) || refreshed
            }
            if let stop = try await stopRequested() { return stop }
            if !refreshed { await DrainWorker.pause(try await nap()) }
        }
    }

    private func nap() async throws -> Duration {
        let poll = Double(pollInterval.components.seconds) + Double(pollInterval.components.attoseconds) / 1e18
        let seconds = try await value("SELECT \(names.qualified("nap_seconds"))(\(poll))::text").flatMap(Double.init) ?? poll
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    private func stopRequested() async throws -> Stop? {
        if Task.isShuttingDownGracefully { return .shutdown }
        if try await flag("\(names.qualified("drainer_stop_requested"))()") { return .stepAside }
        return nil
    }

    /// Drains one view and logs what happened, read back from the refresh log: the function only
    /// says whether it refreshed, and false also means skipped (busy or already drained).
    private mutating func drainView(_ view: String) async throws -> Bool {
        let literal = SQLPrinter.literal(view)
        let refreshed = try await flag("\(names.qualified("drain_view"))(\(literal), 'worker')")
        let entries = try await connection.rows("""
            SELECT id::text, status, changes_applied::text, row_count::text, duration_ms::text, error
            FROM \(names.qualified("refresh_log"))
            WHERE view_name = \(literal) AND trigger_source = 'worker' AND id > \(logWatermark)
            ORDER BY id DESC LIMIT 1
            """)
        guard let entry = entries.first, entry.count == 6 else {
            if refreshed { logger.info("refreshed \(view)") } else { logger.debug("skipped \(view): busy or already drained") }
            return refreshed
        }
        logWatermark = entry[0] ?? logWatermark
        if entry[1] == "succeeded" {
            logger.info("refreshed \(view): \(entry[2] ?? "?") changes applied, \(entry[3] ?? "?") rows, \(entry[4] ?? "?") ms")
        } else {
            logger.warning("refreshing \(view) failed: \(entry[5] ?? "unknown error") (retried after its min_interval, at least 30s)")
        }
        return refreshed
    }

    private func unlock() async throws {
        _ = try await flag("\(names.qualified("drainer_unlock"))()")
    }

    private func supportSchemaDeployed() async throws -> Bool {
        // drainer_lock too: a schema deployed before the worker existed has drain_view alone.
        let drainView = SQLPrinter.literal(names.qualified("drain_view"))
        let drainerLock = SQLPrinter.literal(names.qualified("drainer_lock"))
        return try await flag("to_regproc(\(drainView)) IS NOT NULL AND to_regproc(\(drainerLock)) IS NOT NULL")
    }

    private mutating func wait(_ reason: Waiting, _ message: String) {
        if waiting != reason { logger.notice("\(message)") }
        waiting = reason
    }

    /// A boolean expression's value; one statement, so it commits on its own.
    private func flag(_ expression: String) async throws -> Bool {
        try await value("SELECT (\(expression))::text") == "true"
    }

    private func value(_ sql: String) async throws -> String? {
        try await connection.rows(sql).first?.first ?? nil
    }
}

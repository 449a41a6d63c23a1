import MatviewLowering
import MatviewSema

/// up.sql: one transaction that brings a database to the state the specs describe, and that
/// changes nothing when it already is there.
///
/// A view whose recorded hash matches is left alone (its relfilenode stays). Every new or
/// changed view is first built under a temporary name beside the deployed one, which stays
/// readable meanwhile; a view that reads a rebuilt view is built from that view's new version.
/// Only when all are built are they swapped in, together, at the very end: the old versions
/// renamed away, the new ones given their names, the old ones dropped. A rename locks the view
/// until COMMIT, so readers wait only for that short last phase, never for a later view's build
/// (they then see the new version, and never find the view missing). The build is logged in the
/// refresh log (source `apply`), so a fresh deploy counts as refreshed. A view's hash includes
/// its dependencies' hashes, so changing a view rebuilds the views that read it, in dependency order.
struct DeployScript {
    let definitions: [ViewDefinition]
    let names: SupportNames
    let header: String

    var s: String { names.quotedSchema }

    func sql() -> String {
        var parts: [String] = [header, "BEGIN;", "",
                               Self.stopDrainer(names),
                               "-- Quiet the \"already exists, skipping\" notices of a re-apply.",
                               "SET LOCAL client_min_messages = warning;",
                               SupportSchema(names: names).sql(),
                               "SET LOCAL client_min_messages = notice;", "",
                               // Once notices are back on, so that each right it revokes is reported.
                               MonitoringGrants(names: names).sql()]
        parts.append(dropRemovedViews())
        for definition in definitions {
            parts.append(build(definition))
        }
        parts.append(registry())
        // Triggers and schedules only name the views, so they go before the swap: creating a
        // trigger may wait for a writer of its table, and no view may be locked meanwhile.
        parts.append(maintenanceTriggers())
        parts.append(captureTriggers())
        parts.append(schedules())
        parts.append(swap())
        parts.append(dropRetiredVersions())
        parts.append("COMMIT;")
        return parts.joined(separator: "\n") + "\n"
    }

    private func dropRemovedViews() -> String {
        let names = SQLText.textArray(definitions.map(\.view.name))
        let body = """
        DECLARE
            r record;
        BEGIN
            FOR r IN SELECT view_name, schema_name, maintenance_prefix FROM \(s).views
                     WHERE view_name <> ALL (\(names)) ORDER BY refresh_order DESC LOOP
                IF r.maintenance_prefix IS NOT NULL THEN
                    PERFORM \(s).drop_maintenance(r.maintenance_prefix);
                END IF;
                PERFORM \(s).drop_view_relation(r.schema_name, r.view_name);
                DELETE FROM \(s).pending_changes WHERE view_name = r.view_name;
                DELETE FROM \(s).views WHERE view_name = r.view_name;
                RAISE NOTICE 'matview: dropped %.%, whose spec is gone', r.schema_name, r.view_name;
            END LOOP;
        END
        """
        return "-- Views deployed earlier whose specs are gone: dropped, latest-built first.\n" + SQLText.doBlock(body) + "\n"
    }

    /// Builds a new or changed view under its build name, with its indexes, and logs the build
    /// as a refresh; leaves an unchanged one alone. Nothing here locks the deployed version.
    private func build(_ d: ViewDefinition) -> String {
        let view = d.view
        var body: [String] = []
        body.append("IF to_regclass(\(SQLText.literal(d.qualifiedName))) IS NOT NULL")
        body.append("   AND EXISTS (SELECT 1 FROM \(s).views WHERE view_name = \(SQLText.literal(view.name)) AND spec_hash = \(SQLText.literal(d.hash))) THEN")
        body.append("    RAISE NOTICE 'matview: % is unchanged', \(SQLText.literal(view.name));")
        body.append("    RETURN;")
        body.append("END IF;")
        body.append("")
        body.append("-- Maintenance functions and triggers of an incremental version, if there was one.")
        body.append("PERFORM \(s).drop_maintenance(\(SQLText.literal(d.lowered.maintenanceNames.prefix)));")
        if let maintenance = d.maintenance {
            let tables = maintenance.incremental.sources.filter { $0.upstreamView == nil }.map { SQLText.qualified($0.table) }
            if !tables.isEmpty {
                body.append("-- No write to its source tables may fall between the build and the triggers: writers wait until COMMIT.")
                body.append("LOCK TABLE \(tables.joined(separator: ", ")) IN SHARE ROW EXCLUSIVE MODE;")
            }
            body.append("-- Its maintenance: the grain's key type, recompute, rebuild, drain and trigger functions.")
            for statement in maintenance.createStatements() {
                body += statement.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            body.append("-- Nobody calls them but the triggers (which run as their owner) and the support functions.")
            body.append("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA \(s) FROM PUBLIC;")
        }
        body.append("-- Build the new version beside the deployed one, which readers keep using until the swap.")
        body.append("started := clock_timestamp();")
        body.append("-- The build applies every change pending for the view so far.")
        body.append("DELETE FROM \(s).pending_changes WHERE view_name = \(SQLText.literal(view.name));")
        var scratch: String?
        if let incremental = d.maintenance?.incremental, let averages = incremental.averages, let built = incremental.queryWithAverages {
            // One run of the defining query for both tables (it is the deploy's longest step,
            // with writers of the locked tables waiting): the query selecting the hidden sums
            // and counts after the view's columns, into a scratch table (unlogged: it lives for
            // these statements), then the averages' columns and the view's from it.
            let table = incremental.names.qualified(incremental.names.builtWithAverages)
            scratch = table
            let columns = { (names: [String]) in names.map(SQLText.name).joined(separator: ", ") }
            body.append("-- Its rows and its averages' hidden sums and counts, from one run of the defining query.")
            body.append("CREATE UNLOGGED TABLE \(table) AS")
            body += built.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            body.append("WITH DATA;")
            body.append("-- The hidden sums and counts of its averages, which the writes of one group move.")
            body.append("CREATE TABLE \(averages.table) AS")
            body.append("    SELECT \(columns(averages.tableColumns)) FROM \(table)")
            body.append("WITH DATA;")
            body.append(averages.indexSQL)
            body.append("CREATE \(d.keyword) \(SQLText.qualified(view.schema, d.buildName)) AS")
            body.append("    SELECT \(columns(view.columns.map(\.name))) FROM \(table)")
            body.append("WITH DATA;")
        } else if let template = d.buildTemplate {
            body.append("-- The views it reads: their new versions where this apply rebuilds them, else the deployed ones.")
            body.append("EXECUTE format(")
            body += SQLText.dollarQuoted(template, tag: "build").split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            body[body.count - 1] += ","
            body += d.upstream.enumerated().map { i, upstream in
                let built = SQLText.literal(SQLText.qualified(upstream.schema, LoweredView.buildName(schema: upstream.schema, name: upstream.name)))
                let deployed = SQLText.literal(SQLText.qualified(upstream.schema, upstream.name))
                return "    CASE WHEN to_regclass(\(built)) IS NOT NULL THEN \(built) ELSE \(deployed) END" + (i == d.upstream.count - 1 ? ");" : ",")
            }
        } else {
            body.append("CREATE \(d.keyword) \(SQLText.qualified(view.schema, d.buildName)) AS")
            body += d.query.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            body.append("WITH DATA;")
        }
        body.append("GET DIAGNOSTICS built_rows = ROW_COUNT;")
        if let scratch {
            body.append("DROP TABLE \(scratch);")
        }
        for index in d.indexes {
            body.append(index.sql(temporaryIndexName(view, index.name), d.buildName))
        }
        body.append("INSERT INTO \(s).refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, trigger_source)")
        body.append("VALUES (\(SQLText.literal(view.name)), started, clock_timestamp(),")
        body.append("        round((extract(epoch FROM clock_timestamp() - started) * 1000)::numeric, 3), built_rows, 'succeeded', 'apply');")
        body.append("RAISE NOTICE 'matview: built %', \(SQLText.literal(view.name));")
        let block = body.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        return """
        \(SQLComment.lines("\(view.schema).\(view.name), from \(view.spec.file)"))
        \(SQLText.doBlock("DECLARE\n    started timestamptz;\n    built_rows bigint;\nBEGIN\n\(block)\nEND"))

        """
    }

    private func temporaryIndexName(_ view: CheckedView, _ index: String) -> String {
        SQLText.hashedName("matview_tmp", view.schema + "." + index)
    }

    /// Swaps every view built above into place, in one short phase at the end: each rename takes
    /// an exclusive lock that lasts until COMMIT, so nothing slow may come after it.
    private func swap() -> String {
        guard !definitions.isEmpty else { return "" }
        var body: [String] = []
        for d in definitions {
            let view = d.view
            body.append("IF to_regclass(\(SQLText.literal(SQLText.qualified(view.schema, d.buildName)))) IS NOT NULL THEN")
            var swap: [String] = []
            swap.append("IF to_regclass(\(SQLText.literal(d.qualifiedName))) IS NOT NULL THEN")
            swap.append("    PERFORM \(s).retire_view(\(SQLText.literal(view.schema)), \(SQLText.literal(view.name)), \(SQLText.literal(d.retiredName)));")
            swap.append("END IF;")
            swap.append("ALTER \(d.keyword) \(SQLText.qualified(view.schema, d.buildName)) RENAME TO \(SQLText.name(view.name));")
            for index in d.indexes {
                swap.append("ALTER INDEX \(SQLText.qualified(view.schema, temporaryIndexName(view, index.name))) RENAME TO \(SQLText.name(index.name));")
            }
            swap += d.comments
            swap += d.grants
            body += swap.map { "    " + $0 }
            body.append("END IF;")
        }
        let block = body.map { "    " + $0 }.joined(separator: "\n")
        return "-- Swap the new versions in, all at once and last: readers wait for this phase only.\n"
            + SQLText.doBlock("BEGIN\n\(block)\nEND") + "\n"
    }

    private func registry() -> String {
        guard !definitions.isEmpty else { return "" }
        let rows = definitions.enumerated().map { order, d -> String in
            let v = d.view
            let staleness = v.refresh.maxStalenessSeconds.map { "interval \(SQLText.literal("\($0) seconds"))" } ?? "NULL"
            return "    (\(SQLText.literal(v.name)), \(SQLText.literal(v.schema)), \(SQLText.literal(d.hash)), \(SQLText.literal(d.query)), \(order), "
                + "\(v.refresh.concurrently ? "true" : "false"), \(SQLText.literal(v.refresh.onChange.rawValue)), \(SQLText.literal(v.refresh.schedule)), "
                + "\(staleness), \(SQLText.textArray(v.sourceTables.map { SQLText.qualified($0) })), "
                + "interval \(SQLText.literal("\(v.refresh.minIntervalSeconds) seconds")), \(SQLText.textArray(v.dependencies)), "
                + "\(SQLText.literal(v.refresh.strategy.rawValue)), \(SQLText.literal(d.maintenance.map { _ in d.lowered.maintenanceNames.prefix }))"
        }
        return """
        -- What is deployed, for the next apply and for the refresh functions.
        INSERT INTO \(s).views AS v (view_name, schema_name, spec_hash, definition, refresh_order, use_concurrently, on_change, schedule, max_staleness,
                                      source_tables, min_interval, depends_on, strategy, maintenance_prefix)
        VALUES
        \(rows.joined(separator: "),\n") + ")")
        ON CONFLICT (view_name) DO UPDATE SET
            schema_name = excluded.schema_name, spec_hash = excluded.spec_hash, definition = excluded.definition,
            refresh_order = excluded.refresh_order, use_concurrently = excluded.use_concurrently, on_change = excluded.on_change,
            schedule = excluded.schedule, max_staleness = excluded.max_staleness, source_tables = excluded.source_tables,
            min_interval = excluded.min_interval, depends_on = excluded.depends_on, strategy = excluded.strategy,
            maintenance_prefix = excluded.maintenance_prefix,
            deployed_at = CASE WHEN v.spec_hash = excluded.spec_hash THEN v.deployed_at ELSE clock_timestamp() END
        WHERE (v.schema_name, v.spec_hash, v.definition, v.refresh_order, v.use_concurrently, v.on_change, v.schedule, v.max_staleness,
               v.source_tables, v.min_interval, v.depends_on, v.strategy, v.maintenance_prefix)
              IS DISTINCT FROM (excluded.schema_name, excluded.spec_hash, excluded.definition, excluded.refresh_order, excluded.use_concurrently,
                                excluded.on_change, excluded.schedule, excluded.max_staleness, excluded.source_tables,
                                excluded.min_interval, excluded.depends_on, excluded.strategy, excluded.maintenance_prefix);

        """
    }

    private func dropRetiredVersions() -> String {
        guard !definitions.isEmpty else { return "" }
        let drops = definitions.reversed().map { d -> String in
            "    PERFORM \(s).drop_view_relation(\(SQLText.literal(d.view.schema)), \(SQLText.literal(d.retiredName)));"
        }
        return "-- The versions that were replaced, readers of later views first.\n"
            + SQLText.doBlock("BEGIN\n\(drops.joined(separator: "\n"))\nEND") + "\n"
    }

    /// The incremental views' triggers on their source tables (and partitions), and on the tables
    /// of the incremental views they read (the new version where this apply rebuilt one: a
    /// trigger stays with its table through the swap's rename). Only missing ones are created.
    private func maintenanceTriggers() -> String {
        var lines: [String] = []
        for d in definitions {
            guard let maintenance = d.maintenance else { continue }
            for trigger in maintenance.triggers {
                let target: String
                if let upstream = trigger.upstreamView {
                    let built = SQLText.literal(SQLText.qualified(trigger.table.schema, LoweredView.buildName(schema: trigger.table.schema, name: upstream)))
                    target = "coalesce(to_regclass(\(built)), to_regclass(\(SQLText.literal(SQLText.qualified(trigger.table)))))"
                } else {
                    target = "\(SQLText.literal(SQLText.qualified(trigger.table)))::regclass"
                }
                lines.append("    PERFORM \(s).install_maintenance_trigger(\(target), \(SQLText.literal(trigger.name)), "
                             + "\(SQLText.literal(trigger.function)), \(SQLText.literal(trigger.event.keyword)));")
            }
        }
        guard !lines.isEmpty else { return "" }
        return "-- Incremental maintenance: statement triggers on every source table and its partitions.\n"
            + SQLText.doBlock("BEGIN\n\(lines.joined(separator: "\n"))\nEND") + "\n"
    }

    /// The first statement of up.sql and down.sql: waits for a running drainer to finish its
    /// round and stop (it sees the wait), and keeps a new one from starting until COMMIT.
    static func stopDrainer(_ names: SupportNames) -> String {
        "-- Wait for a running drainer to finish its round and stop; none starts until COMMIT.\n"
            + SQLText.doBlock("BEGIN\n    PERFORM pg_advisory_xact_lock(\(names.drainerLockKey));\nEND") + "\n"
    }

    /// Capture triggers on every source table of a queued view and on all its partitions, with
    /// the event trigger for partitions added later where some source (of a queued full view,
    /// or of an incremental view: its triggers went on just before) is partitioned. Only
    /// triggers that are missing or name other views are (re)created.
    private func captureTriggers() -> String {
        let eventTrigger = SQLText.name(names.partitionEventTrigger)
        let notice = "matview: only a superuser can create the event trigger that captures partitions created later; until the next apply, matview status reports them"
        return "-- Change capture: a write to a source table, or to any of its partitions, marks the queued views that read it.\n"
            + SQLText.doBlock("""
            BEGIN
                PERFORM \(s).install_captures();
                IF EXISTS (SELECT 1 FROM \(s).capture_targets c JOIN pg_class k ON k.oid = c.rel WHERE k.relkind = 'p')
                   OR EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class k ON k.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                              WHERE k.relkind = 'p' AND p.pronamespace = \(SQLText.literal(names.quotedSchema))::regnamespace
                                AND left(p.proname, 4) = 'inc_') THEN
                    IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = \(SQLText.literal(names.partitionEventTrigger))) THEN
                        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                            CREATE EVENT TRIGGER \(eventTrigger) ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
                                EXECUTE FUNCTION \(s).capture_new_partitions();
                        ELSE
                            RAISE NOTICE '%', \(SQLText.literal(notice));
                        END IF;
                    END IF;
                ELSIF EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = \(SQLText.literal(names.partitionEventTrigger))) THEN
                    DROP EVENT TRIGGER \(eventTrigger);
                END IF;
            END
            """) + "\n"
    }

    var jobPrefix: String { names.jobPrefix }

    private func schedules() -> String {
        var jobs: [(name: String, schedule: String, command: String)] = []
        for d in definitions {
            if let schedule = d.view.refresh.schedule {
                jobs.append((jobPrefix + d.view.name, schedule, "SELECT \(s).refresh(\(SQLText.literal(d.view.name)), 'schedule')"))
            }
        }
        if definitions.contains(where: { $0.view.refresh.onChange == .queue }) {
            jobs.append((names.drainJob, "* * * * *", "CALL \(s).run_drainer()"))
        }
        let manual = jobs.map { "  \($0.schedule)  \($0.command)" }.joined(separator: "\n")
        var notice = "matview: pg_cron is not installed in this database, so no schedules were created. Run these from another scheduler:\n\(manual)"
        if definitions.contains(where: { $0.view.refresh.onChange == .queue }) {
            notice += "\nor, for the queued views, keep `matview worker` running: it applies their changes continuously."
        }
        var body: [String] = []
        body.append("IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN")
        if jobs.isEmpty {
            body.append("    RETURN;")
        } else {
            body.append("    RAISE NOTICE '%', \(SQLText.literal(notice));")
            body.append("    RETURN;")
        }
        body.append("END IF;")
        for job in jobs {
            body.append("PERFORM cron.schedule(\(SQLText.literal(job.name)), \(SQLText.literal(job.schedule)), \(SQLText.literal(job.command)));")
        }
        body.append("-- Jobs of views that are no longer scheduled.")
        body.append("PERFORM cron.unschedule(jobid) FROM cron.job")
        body.append("WHERE left(jobname, \(jobPrefix.count)) = \(SQLText.literal(jobPrefix)) AND jobname <> ALL (\(SQLText.textArray(jobs.map(\.name))));")
        let block = body.map { "    " + $0 }.joined(separator: "\n")
        return "-- Schedules: one pg_cron job per scheduled view, named after it, and one that starts the drainer each minute.\n"
            + SQLText.doBlock("BEGIN\n\(block)\nEND") + "\n"
    }
}

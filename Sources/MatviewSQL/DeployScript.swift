import MatviewSema

/// up.sql: one transaction that brings a database to the state the specs describe, and that
/// changes nothing when it already is there.
///
/// A view whose recorded hash matches is left alone (its relfilenode stays). A new or changed
/// view is built under a temporary name beside the deployed one, which stays readable during
/// the build; only then is the old version renamed away and the new one given its name, and the
/// old one dropped at the end. Readers block for the rename and see the new version after COMMIT,
/// so they never find the view missing. A view's hash includes its dependencies' hashes, so
/// changing a view rebuilds the views that read it, in dependency order.
struct DeployScript {
    let definitions: [ViewDefinition]
    let supportSchema: String
    let header: String

    var s: String { SQLText.name(supportSchema) }

    func sql() -> String {
        var parts: [String] = [header, "BEGIN;", "",
                               "-- Quiet the \"already exists, skipping\" notices of a re-apply.",
                               "SET LOCAL client_min_messages = warning;",
                               SupportSchema(schema: supportSchema).sql(),
                               "SET LOCAL client_min_messages = notice;", ""]
        parts.append(dropRemovedViews())
        for (order, definition) in definitions.enumerated() {
            parts.append(deploy(definition, order: order))
        }
        parts.append(registry())
        parts.append(dropRetiredVersions())
        parts.append(triggers())
        parts.append(schedules())
        parts.append("COMMIT;")
        return parts.joined(separator: "\n") + "\n"
    }

    private func dropRemovedViews() -> String {
        let names = SQLText.textArray(definitions.map(\.view.name))
        return """
        -- Views deployed earlier whose specs are gone: dropped, latest-built first.
        DO $matview$
        DECLARE
            r record;
        BEGIN
            FOR r IN SELECT view_name, schema_name FROM \(s).views
                     WHERE view_name <> ALL (\(names)) ORDER BY refresh_order DESC LOOP
                EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.%I', r.schema_name, r.view_name);
                DELETE FROM \(s).refresh_queue WHERE view_name = r.view_name;
                DELETE FROM \(s).views WHERE view_name = r.view_name;
                RAISE NOTICE 'matview: dropped %.%, whose spec is gone', r.schema_name, r.view_name;
            END LOOP;
        END
        $matview$;

        """
    }

    private func deploy(_ d: ViewDefinition, order: Int) -> String {
        let view = d.view
        var body: [String] = []
        body.append("IF to_regclass(\(SQLText.literal(d.qualifiedName))) IS NOT NULL")
        body.append("   AND EXISTS (SELECT 1 FROM \(s).views WHERE view_name = \(SQLText.literal(view.name)) AND spec_hash = \(SQLText.literal(d.hash))) THEN")
        body.append("    RAISE NOTICE 'matview: % is unchanged', \(SQLText.literal(view.name));")
        body.append("    RETURN;")
        body.append("END IF;")
        body.append("")
        body.append("-- Build the new version beside the deployed one.")
        body.append("CREATE MATERIALIZED VIEW \(SQLText.qualified(view.schema, d.buildName)) AS")
        body += d.query.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        body.append("WITH DATA;")
        for index in d.indexes {
            body.append(index.sql(SQLText.hashedName("matview_tmp", view.schema + "." + index.name), d.buildName))
        }
        body.append("")
        body.append("-- Swap it in.")
        body.append("IF to_regclass(\(SQLText.literal(d.qualifiedName))) IS NOT NULL THEN")
        body.append("    PERFORM \(s).retire_view(\(SQLText.literal(view.schema)), \(SQLText.literal(view.name)), \(SQLText.literal(d.retiredName)));")
        body.append("END IF;")
        body.append("ALTER MATERIALIZED VIEW \(SQLText.qualified(view.schema, d.buildName)) RENAME TO \(SQLText.name(view.name));")
        for index in d.indexes {
            let temporary = SQLText.hashedName("matview_tmp", view.schema + "." + index.name)
            body.append("ALTER INDEX \(SQLText.qualified(view.schema, temporary)) RENAME TO \(SQLText.name(index.name));")
        }
        body += d.comments
        body += d.grants
        body.append("RAISE NOTICE 'matview: built %', \(SQLText.literal(view.name));")
        let block = body.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
        return """
        -- \(view.schema).\(view.name), from \(view.spec.file)
        DO \(SQLText.dollarQuoted("\nBEGIN\n\(block)\nEND\n", tag: "matview"));

        """
    }

    private func registry() -> String {
        guard !definitions.isEmpty else { return "" }
        let rows = definitions.enumerated().map { order, d -> String in
            let v = d.view
            let staleness = v.refresh.maxStalenessSeconds.map { "interval \(SQLText.literal("\($0) seconds"))" } ?? "NULL"
            return "    (\(SQLText.literal(v.name)), \(SQLText.literal(v.schema)), \(SQLText.literal(d.hash)), \(SQLText.literal(d.query)), \(order), "
                + "\(v.refresh.concurrently ? "true" : "false"), \(SQLText.literal(v.refresh.onChange.rawValue)), \(SQLText.literal(v.refresh.schedule)), "
                + "\(staleness), \(SQLText.textArray(v.sourceTables.map(\.description)))"
        }
        return """
        -- What is deployed, for the next apply and for the refresh functions.
        INSERT INTO \(s).views AS v (view_name, schema_name, spec_hash, definition, refresh_order, use_concurrently, on_change, schedule, max_staleness, source_tables)
        VALUES
        \(rows.joined(separator: "),\n") + ")")
        ON CONFLICT (view_name) DO UPDATE SET
            schema_name = excluded.schema_name, spec_hash = excluded.spec_hash, definition = excluded.definition,
            refresh_order = excluded.refresh_order, use_concurrently = excluded.use_concurrently, on_change = excluded.on_change,
            schedule = excluded.schedule, max_staleness = excluded.max_staleness, source_tables = excluded.source_tables,
            deployed_at = CASE WHEN v.spec_hash = excluded.spec_hash THEN v.deployed_at ELSE clock_timestamp() END
        WHERE (v.schema_name, v.spec_hash, v.definition, v.refresh_order, v.use_concurrently, v.on_change, v.schedule, v.max_staleness, v.source_tables)
              IS DISTINCT FROM (excluded.schema_name, excluded.spec_hash, excluded.definition, excluded.refresh_order, excluded.use_concurrently,
                                excluded.on_change, excluded.schedule, excluded.max_staleness, excluded.source_tables);

        """
    }

    private func dropRetiredVersions() -> String {
        guard !definitions.isEmpty else { return "" }
        let drops = definitions.reversed().map { d -> String in
            let name = SQLText.qualified(d.view.schema, d.retiredName)
            return "    IF to_regclass(\(SQLText.literal(name))) IS NOT NULL THEN DROP MATERIALIZED VIEW \(name); END IF;"
        }
        return """
        -- The versions that were replaced, readers of later views first.
        DO $matview$
        BEGIN
        \(drops.joined(separator: "\n"))
        END
        $matview$;

        """
    }

    /// Source table -> views to mark dirty, for every `on_change: queue` view.
    var triggerTargets: [(table: TableName, views: [String])] {
        var map: [TableName: [String]] = [:]
        for d in definitions where d.view.refresh.onChange == .queue {
            for table in d.view.sourceTables { map[table, default: []].append(d.view.name) }
        }
        return map.keys.sorted().map { ($0, map[$0]!) }
    }

    static let triggerName = "matview_enqueue_refresh"

    private func triggers() -> String {
        var lines = ["-- Change triggers: a write to a source table marks every view that reads it dirty."]
        for (table, views) in triggerTargets {
            let arguments = views.map(SQLText.literal).joined(separator: ", ")
            lines.append("CREATE OR REPLACE TRIGGER \(Self.triggerName) AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(SQLText.qualified(table))")
            lines.append("    FOR EACH STATEMENT EXECUTE FUNCTION \(s).enqueue_refresh(\(arguments));")
        }
        let tables = SQLText.textArray(triggerTargets.map { "\($0.table.schema).\($0.table.name)" })
        lines.append("""
        DO $matview$
        DECLARE
            r record;
        BEGIN
            -- Triggers on tables no queued view reads any more.
            FOR r IN SELECT t.tgname, c.relname, n.nspname
                     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE t.tgfoid = \(SQLText.literal("\(supportSchema).enqueue_refresh"))::regproc
                       AND n.nspname || '.' || c.relname <> ALL (\(tables)) LOOP
                EXECUTE format('DROP TRIGGER %I ON %I.%I', r.tgname, r.nspname, r.relname);
            END LOOP;
        END
        $matview$;

        """)
        return lines.joined(separator: "\n")
    }

    var jobPrefix: String { "\(supportSchema):" }

    private func schedules() -> String {
        var jobs: [(name: String, schedule: String, command: String)] = []
        for d in definitions {
            if let schedule = d.view.refresh.schedule {
                jobs.append((jobPrefix + d.view.name, schedule, "SELECT \(s).refresh(\(SQLText.literal(d.view.name)), 'schedule')"))
            }
        }
        if definitions.contains(where: { $0.view.refresh.onChange == .queue }) {
            jobs.append((jobPrefix + "drain_queue", "* * * * *", "SELECT \(s).drain_queue()"))
        }
        let manual = jobs.map { "  \($0.schedule)  \($0.command)" }.joined(separator: "\n")
        let notice = "matview: pg_cron is not installed in this database, so no schedules were created. Run these from another scheduler:\n\(manual)"
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
        return """
        -- Schedules: one pg_cron job per scheduled view, named after it, and one that drains the queue.
        DO $matview$
        BEGIN
        \(block)
        END
        $matview$;

        """
    }
}

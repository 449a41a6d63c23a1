import MatviewLowering
/// `freshness`: each view against its objective, from the refresh log and the pending changes.
/// A view is stale when its last good refresh, or its oldest pending change, is older than its
/// max_staleness: a view refreshed a second ago is still behind a change it has not applied.
/// `uncaptured_tables` lists the tables (partitions included) whose writes a queued view needs
/// but that lack the capture trigger, e.g. a partition created after apply without the event
/// trigger.
///
/// It calls no function of the support schema: PostgreSQL checks a view's tables against the
/// view's owner but its functions against the reader, and the monitoring role may only SELECT
/// (MonitoringGrants). So the capture targets come from the view `capture_targets`.
struct FreshnessView {
    let names: SupportNames

    var s: String { names.quotedSchema }

    func sql() -> String {
        """
        CREATE OR REPLACE VIEW \(s).freshness AS
        SELECT
            v.view_name,
            v.schema_name,
            v.schedule,
            v.max_staleness,
            ok.finished_at AS last_refresh,
            -- An incremental view kept current on change is as old as its oldest unapplied change
            -- (none: current), not as old as its last full rebuild.
            CASE WHEN v.strategy = 'incremental' AND v.on_change <> 'none'
                 THEN coalesce(extract(epoch FROM clock_timestamp() - pending.oldest), 0)
                 ELSE extract(epoch FROM clock_timestamp() - ok.finished_at) END AS seconds_stale,
            CASE WHEN v.max_staleness IS NULL THEN NULL
                 WHEN v.strategy = 'incremental' AND v.on_change <> 'none'
                 THEN coalesce(clock_timestamp() - pending.oldest > v.max_staleness, false)
                 ELSE ok.finished_at IS NULL OR clock_timestamp() - ok.finished_at > v.max_staleness
                      OR coalesce(clock_timestamp() - pending.oldest > v.max_staleness, false) END AS stale,
            last.status AS last_status,
            last.duration_ms AS last_duration_ms,
            last.row_count AS last_row_count,
            last.error AS last_error,
            stats.avg_duration_ms,
            coalesce(stats.failures_24h, 0) AS failures_24h,
            v.on_change,
            v.min_interval,
            pending.changes AS pending_changes,
            pending.oldest AS oldest_pending_at,
            extract(epoch FROM clock_timestamp() - pending.oldest) AS oldest_pending_seconds,
            uncaptured.tables AS uncaptured_tables,
            v.strategy
        FROM \(s).views v
        LEFT JOIN LATERAL (
            SELECT l.finished_at FROM \(s).refresh_log l
            WHERE l.view_name = v.view_name AND l.status = 'succeeded'
            ORDER BY l.started_at DESC LIMIT 1
        ) ok ON true
        LEFT JOIN LATERAL (
            SELECT l.status, l.duration_ms, l.row_count, l.error FROM \(s).refresh_log l
            WHERE l.view_name = v.view_name
            ORDER BY l.started_at DESC LIMIT 1
        ) last ON true
        LEFT JOIN LATERAL (
            SELECT avg(l.duration_ms) FILTER (WHERE l.status = 'succeeded') AS avg_duration_ms,
                   count(*) FILTER (WHERE l.status = 'failed') AS failures_24h
            FROM \(s).refresh_log l
            WHERE l.view_name = v.view_name AND l.started_at > clock_timestamp() - interval '24 hours'
        ) stats ON true
        CROSS JOIN LATERAL (
            SELECT count(*) AS changes, min(p.captured_at) AS oldest
            FROM \(s).pending_changes p WHERE p.view_name = v.view_name
        ) pending
        CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(name ORDER BY name), ARRAY[]::text[]) AS tables FROM (
                SELECT t.name FROM unnest(v.source_tables) AS t(name)
                WHERE v.on_change = 'queue' AND to_regclass(t.name) IS NULL
                UNION
                SELECT format('%I.%I', n.nspname, k.relname) COLLATE "default"
                FROM \(s).capture_targets c JOIN pg_class k ON k.oid = c.rel JOIN pg_namespace n ON n.oid = k.relnamespace
                WHERE c.view_name = v.view_name
                  AND NOT EXISTS (SELECT 1 FROM pg_trigger tg
                                  WHERE tg.tgrelid = c.rel AND tg.tgname = \(SQLText.literal(names.captureTrigger)) AND tg.tgenabled <> 'D'
                                    AND position('\\x00'::bytea || convert_to(v.view_name, getdatabaseencoding()) || '\\x00'::bytea
                                                 IN '\\x00'::bytea || tg.tgargs) > 0)
                UNION
                -- An incremental view: a partition (at any level) of a table that carries one of
                -- its maintenance triggers, without that trigger.
                SELECT format('%I.%I', n.nspname, k.relname) COLLATE "default"
                FROM pg_trigger t
                JOIN pg_proc f ON f.oid = t.tgfoid
                CROSS JOIN LATERAL pg_partition_tree(t.tgrelid) AS tree
                JOIN pg_class k ON k.oid = tree.relid JOIN pg_namespace n ON n.oid = k.relnamespace
                WHERE v.maintenance_prefix IS NOT NULL
                  AND f.pronamespace = \(SQLText.literal(names.quotedSchema))::regnamespace
                  AND left(f.proname, length(v.maintenance_prefix) + 1) = v.maintenance_prefix || '_'
                  AND tree.relid <> t.tgrelid
                  AND NOT EXISTS (SELECT 1 FROM pg_trigger t2
                                  WHERE t2.tgrelid = tree.relid AND t2.tgname = t.tgname AND t2.tgfoid = t.tgfoid AND t2.tgenabled <> 'D')
            ) missing
        ) uncaptured;
        REVOKE ALL ON \(s).freshness FROM PUBLIC;
        """
    }
}

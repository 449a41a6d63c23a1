/// The support schema (default `matview`): registry of deployed views, refresh log, refresh
/// queue, freshness view, and the functions that refresh, enqueue and drain. Every statement is
/// idempotent, so applying it again changes nothing; nothing in it is usable by PUBLIC.
///
/// Design points that the seed got wrong: durations come from clock_timestamp() (now() is fixed
/// for the whole transaction); each view refreshes in its own subtransaction, so one failure is
/// logged and the others still run; the queue exists before anything writes to it.
struct SupportSchema {
    let schema: String

    var s: String { SQLText.name(schema) }

    func sql() -> String {
        """
        CREATE SCHEMA IF NOT EXISTS \(s);
        REVOKE ALL ON SCHEMA \(s) FROM PUBLIC;

        -- One row per deployed view: what apply compares (spec_hash) and what the functions read.
        CREATE TABLE IF NOT EXISTS \(s).views (
            view_name      text PRIMARY KEY,
            schema_name    text NOT NULL,
            spec_hash      text NOT NULL,
            definition     text NOT NULL,
            refresh_order  integer NOT NULL,
            use_concurrently boolean NOT NULL,
            on_change      text NOT NULL CHECK (on_change IN ('none', 'queue')),
            schedule       text,
            max_staleness  interval,
            source_tables  text[] NOT NULL,
            deployed_at    timestamptz NOT NULL DEFAULT clock_timestamp()
        );

        CREATE TABLE IF NOT EXISTS \(s).refresh_log (
            id             bigserial PRIMARY KEY,
            view_name      text NOT NULL,
            started_at     timestamptz NOT NULL,
            finished_at    timestamptz NOT NULL,
            duration_ms    numeric(14,3) NOT NULL,
            row_count      bigint,
            status         text NOT NULL CHECK (status IN ('succeeded', 'failed')),
            error          text,
            trigger_source text NOT NULL
        );
        CREATE INDEX IF NOT EXISTS refresh_log_view_started_idx ON \(s).refresh_log (view_name, started_at DESC);

        -- Views marked dirty by writes to their source tables; one row per view.
        CREATE TABLE IF NOT EXISTS \(s).refresh_queue (
            view_name      text PRIMARY KEY,
            queued_at      timestamptz NOT NULL,
            last_change_at timestamptz NOT NULL,
            changes        bigint NOT NULL DEFAULT 1,
            trigger_source text NOT NULL
        );

        REVOKE ALL ON ALL TABLES IN SCHEMA \(s) FROM PUBLIC;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA \(s) FROM PUBLIC;

        -- Refreshes one view and logs the outcome. A failure is caught (its work rolled back to
        -- the savepoint), logged with the error, and reported as false rather than raised.
        CREATE OR REPLACE FUNCTION \(s).refresh(p_view text, p_source text DEFAULT 'manual')
        RETURNS boolean
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            v \(s).views%ROWTYPE;
            started timestamptz := clock_timestamp();
            rows_now bigint;
        BEGIN
            SELECT * INTO v FROM \(s).views WHERE view_name = p_view;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'matview: no deployed view named %', p_view;
            END IF;
            BEGIN
                IF v.use_concurrently THEN
                    EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I.%I', v.schema_name, v.view_name);
                ELSE
                    EXECUTE format('REFRESH MATERIALIZED VIEW %I.%I', v.schema_name, v.view_name);
                END IF;
                EXECUTE format('SELECT count(*) FROM %I.%I', v.schema_name, v.view_name) INTO rows_now;
                INSERT INTO \(s).refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, trigger_source)
                VALUES (p_view, started, clock_timestamp(),
                        round((extract(epoch FROM clock_timestamp() - started) * 1000)::numeric, 3), rows_now, 'succeeded', p_source);
                RETURN true;
            EXCEPTION WHEN OTHERS THEN
                INSERT INTO \(s).refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, error, trigger_source)
                VALUES (p_view, started, clock_timestamp(),
                        round((extract(epoch FROM clock_timestamp() - started) * 1000)::numeric, 3), NULL, 'failed', SQLERRM, p_source);
                RETURN false;
            END;
        END;
        $function$;

        -- Refreshes every view in dependency order; returns how many failed.
        CREATE OR REPLACE FUNCTION \(s).refresh_all(p_source text DEFAULT 'manual')
        RETURNS integer
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            v record;
            failures integer := 0;
        BEGIN
            FOR v IN SELECT view_name FROM \(s).views ORDER BY refresh_order, view_name LOOP
                IF NOT \(s).refresh(v.view_name, p_source) THEN
                    failures := failures + 1;
                END IF;
            END LOOP;
            RETURN failures;
        END;
        $function$;

        -- Statement-level trigger on source tables: marks the views named in the trigger's
        -- arguments dirty. SECURITY DEFINER so writers need no rights on the queue.
        CREATE OR REPLACE FUNCTION \(s).enqueue_refresh()
        RETURNS trigger
        LANGUAGE plpgsql
        SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $function$
        BEGIN
            INSERT INTO \(s).refresh_queue AS q (view_name, queued_at, last_change_at, trigger_source)
            SELECT view_name, clock_timestamp(), clock_timestamp(), TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME
            FROM unnest(TG_ARGV) AS view_name
            ON CONFLICT (view_name) DO UPDATE
                SET last_change_at = excluded.last_change_at, changes = q.changes + 1;
            RETURN NULL;
        END;
        $function$;

        -- Refreshes the dirty views in dependency order and takes them off the queue; a write
        -- that arrives meanwhile queues the view again. Returns how many views it refreshed.
        CREATE OR REPLACE FUNCTION \(s).drain_queue()
        RETURNS integer
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            v record;
            refreshed integer := 0;
        BEGIN
            FOR v IN
                WITH taken AS (
                    DELETE FROM \(s).refresh_queue q
                    USING \(s).views r
                    WHERE q.view_name = r.view_name
                    RETURNING q.view_name, q.trigger_source, r.refresh_order
                )
                SELECT * FROM taken ORDER BY refresh_order, view_name
            LOOP
                PERFORM \(s).refresh(v.view_name, 'queue:' || v.trigger_source);
                refreshed := refreshed + 1;
            END LOOP;
            RETURN refreshed;
        END;
        $function$;

        -- Moves a deployed view out of the way before its new version takes its name: renames
        -- it and its indexes to names derived from their OIDs. Dropped at the end of apply.
        CREATE OR REPLACE FUNCTION \(s).retire_view(p_schema text, p_view text, p_old_name text)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            idx record;
        BEGIN
            FOR idx IN
                SELECT i.indexrelid::regclass::text AS qualified, i.indexrelid AS oid
                FROM pg_index i
                WHERE i.indrelid = format('%I.%I', p_schema, p_view)::regclass
            LOOP
                EXECUTE format('ALTER INDEX %s RENAME TO %I', idx.qualified, 'matview_retired_' || idx.oid);
            END LOOP;
            EXECUTE format('ALTER MATERIALIZED VIEW %I.%I RENAME TO %I', p_schema, p_view, p_old_name);
        END;
        $function$;

        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA \(s) FROM PUBLIC;

        -- Freshness of each view against its objective, from the log.
        CREATE OR REPLACE VIEW \(s).freshness AS
        SELECT
            v.view_name,
            v.schema_name,
            v.schedule,
            v.max_staleness,
            ok.finished_at AS last_refresh,
            extract(epoch FROM clock_timestamp() - ok.finished_at) AS seconds_stale,
            CASE WHEN v.max_staleness IS NULL THEN NULL
                 ELSE ok.finished_at IS NULL OR clock_timestamp() - ok.finished_at > v.max_staleness END AS stale,
            last.status AS last_status,
            last.duration_ms AS last_duration_ms,
            last.row_count AS last_row_count,
            last.error AS last_error,
            stats.avg_duration_ms,
            coalesce(stats.failures_24h, 0) AS failures_24h,
            q.queued_at,
            q.changes AS queued_changes
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
        LEFT JOIN \(s).refresh_queue q ON q.view_name = v.view_name;
        REVOKE ALL ON \(s).freshness FROM PUBLIC;
        """
    }
}

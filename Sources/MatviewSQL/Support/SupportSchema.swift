import MatviewLowering
/// The support schema (default `matview`): registry of deployed views, refresh log, pending
/// changes, freshness view, and the functions that refresh, capture and drain. Every statement
/// is idempotent, so applying it again changes nothing; nothing in it is usable by PUBLIC (who
/// may read it is MonitoringGrants' part, which up.sql runs right after).
///
/// Design points that the seed got wrong: durations come from clock_timestamp() (now() is fixed
/// for the whole transaction); each view refreshes in its own subtransaction, so one failure is
/// logged and the others still run; the queue exists before anything writes to it; and writers
/// only ever append to it (see ChangeCaptureFunctions), so no writer waits on another.
struct SupportSchema {
    let names: SupportNames

    /// How long the refresh log keeps a view's rows.
    static let logRetention = "30 days"

    var s: String { names.quotedSchema }

    func sql() -> String {
        [tables(), upgradeFromQueueTable(), refreshFunctions(), MaintenanceFunctions(names: names).sql(),
         ChangeCaptureFunctions(names: names).sql(), DrainerFunctions(names: names).sql(),
         "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA \(s) FROM PUBLIC;",
         "REVOKE ALL ON ALL PROCEDURES IN SCHEMA \(s) FROM PUBLIC;\n",
         FreshnessView(names: names).sql(),
         "-- Earlier deployments had a function capture_targets(); the view of that name replaced it above.",
         "DROP FUNCTION IF EXISTS \(s).capture_targets();\n"].joined(separator: "\n")
    }

    private func tables() -> String {
        """
        CREATE SCHEMA IF NOT EXISTS \(s);
        REVOKE ALL ON SCHEMA \(s) FROM PUBLIC;

        -- One row per deployed view: what apply compares (spec_hash) and what the functions read.
        -- source_tables are regclass text (schema-qualified, quoted where needed); depends_on
        -- names the views this one reads.
        CREATE TABLE IF NOT EXISTS \(s).views (
            view_name      text PRIMARY KEY,
            schema_name    text NOT NULL,
            spec_hash      text NOT NULL,
            definition     text NOT NULL,
            refresh_order  integer NOT NULL,
            use_concurrently boolean NOT NULL,
            on_change      text NOT NULL CONSTRAINT views_on_change_check CHECK (on_change IN ('none', 'queue', 'immediate')),
            schedule       text,
            max_staleness  interval,
            source_tables  text[] NOT NULL,
            deployed_at    timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        ALTER TABLE \(s).views ADD COLUMN IF NOT EXISTS min_interval interval NOT NULL DEFAULT interval '1 minute';
        ALTER TABLE \(s).views ADD COLUMN IF NOT EXISTS depends_on text[] NOT NULL DEFAULT ARRAY[]::text[];
        -- 1.1: incremental views are tables; their maintenance functions start with maintenance_prefix.
        ALTER TABLE \(s).views ADD COLUMN IF NOT EXISTS strategy text NOT NULL DEFAULT 'full';
        ALTER TABLE \(s).views ADD COLUMN IF NOT EXISTS maintenance_prefix text;

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
        ALTER TABLE \(s).refresh_log ADD COLUMN IF NOT EXISTS changes_applied bigint;
        
        CREATE INDEX IF NOT EXISTS refresh_log_view_started_idx ON \(s).refresh_log (view_name, started_at DESC);

        -- Writes to source tables that the views have not caught up with: one row per queued view
        -- per writing statement, only ever inserted by writers and deleted by refreshes. No key,
        -- no foreign key and no row that two writers share, so capturing never waits.
        CREATE TABLE IF NOT EXISTS \(s).pending_changes (
            view_name      text NOT NULL,
            source_table   text NOT NULL,
            captured_at    timestamptz NOT NULL DEFAULT clock_timestamp()
        ) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
        CREATE INDEX IF NOT EXISTS pending_changes_view_captured_idx ON \(s).pending_changes (view_name, captured_at);
        -- 1.1: for a queued incremental view, the changed rows' columns its key paths read (NULL:
        -- recompute every group, e.g. after a TRUNCATE).
        ALTER TABLE \(s).pending_changes ADD COLUMN IF NOT EXISTS changed_rows jsonb;

        REVOKE ALL ON ALL TABLES IN SCHEMA \(s) FROM PUBLIC;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA \(s) FROM PUBLIC;

        """
    }

    /// Databases deployed by matview 1.0 had one queue row per view, upserted by every writer.
    /// Its rows become pending changes, and it goes, with its trigger function and triggers.
    private func upgradeFromQueueTable() -> String {
        "-- Upgrade from the 1.0 queue (one row per view, which writers took turns to update).\n" + SQLText.doBlock("""
        DECLARE
            r record;
        BEGIN
            IF to_regclass(\(SQLText.literal(names.qualified("refresh_queue")))) IS NOT NULL THEN
                INSERT INTO \(s).pending_changes (view_name, source_table, captured_at)
                SELECT view_name, trigger_source, queued_at FROM \(s).refresh_queue;
                DROP TABLE \(s).refresh_queue;
            END IF;
            IF to_regproc(\(SQLText.literal(names.qualified("enqueue_refresh")))) IS NOT NULL THEN
                FOR r IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t
                         WHERE t.tgfoid = to_regproc(\(SQLText.literal(names.qualified("enqueue_refresh")))) LOOP
                    EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
                END LOOP;
                DROP FUNCTION \(s).enqueue_refresh();
            END IF;
            -- 1.0's refresh had no p_full (drains of incremental views pass false).
            DROP FUNCTION IF EXISTS \(s).refresh(text, text);
            -- 1.0 allowed on_change none and queue only.
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = \(SQLText.literal(names.qualified("views")))::regclass
                           AND conname = 'views_on_change_check' AND pg_get_constraintdef(oid) LIKE '%immediate%') THEN
                ALTER TABLE \(s).views DROP CONSTRAINT IF EXISTS views_on_change_check;
                ALTER TABLE \(s).views ADD CONSTRAINT views_on_change_check CHECK (on_change IN ('none', 'queue', 'immediate'));
            END IF;
            IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(\(SQLText.literal(names.qualified("freshness"))))
                       AND attname = 'queued_changes') THEN
                DROP VIEW \(s).freshness;
            END IF;
        END
        """) + "\n"
    }

    private func refreshFunctions() -> String {
        """
        -- Refreshes one view, applying everything pending for it, and logs the outcome. One
        -- refresh of a view at a time: it waits for a drainer busy with the view (drainers skip
        -- instead). The pending changes it can see are taken before the refresh, whose snapshot
        -- is later, so each taken change is in the new contents; one committed meanwhile stays
        -- pending. A failure is caught (its work, the taking included, rolled back to the
        -- savepoint), logged with the error, and reported as false rather than raised.
        CREATE OR REPLACE FUNCTION \(s).refresh(p_view text, p_source text DEFAULT 'manual', p_full boolean DEFAULT true)
        RETURNS boolean
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            v \(s).views%ROWTYPE;
            started timestamptz;
            rows_now bigint;
            applied bigint;
            net_rows bigint;
        BEGIN
            SELECT * INTO v FROM \(s).views WHERE view_name = p_view;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'matview: no deployed view named %', p_view;
            END IF;
            PERFORM pg_advisory_xact_lock(\(names.viewLockNamespace), hashtext(p_view));
            started := clock_timestamp();
            BEGIN
                IF v.strategy = 'incremental' THEN
                    -- Drains recompute the groups the queued changes reach; anything else rebuilds
                    -- (the groups that differ). Group locks only where writers maintain it too.
                    EXECUTE format('SELECT matview_applied, matview_net_rows FROM %I.%I($1, $2)', \(SQLText.literal(names.schema)), v.maintenance_prefix || '_drain')
                        INTO applied, net_rows USING p_full, v.on_change = 'immediate';
                    -- A queued view's table changes only here, one refresh at a time under this
                    -- lock, each logged with its row count: a drain adds what it gained to the
                    -- last count instead of reading the whole table (a drain of one change at
                    -- 100,000 rows took 19-25 ms with the count, 4-6 ms without, and the count
                    -- grows with the table). A full refresh counts again.
                    IF NOT p_full AND v.on_change = 'queue' AND current_setting('transaction_isolation') = 'read committed' THEN
                        SELECT l.row_count + net_rows INTO rows_now FROM \(s).refresh_log l
                        WHERE l.view_name = p_view AND l.status = 'succeeded' ORDER BY l.started_at DESC LIMIT 1;
                    END IF;
                ELSE
                WITH taken AS (DELETE FROM \(s).pending_changes WHERE view_name = p_view RETURNING 1)
                SELECT count(*) INTO applied FROM taken;
                IF v.use_concurrently THEN
                    EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I.%I', v.schema_name, v.view_name);
                ELSE
                    EXECUTE format('REFRESH MATERIALIZED VIEW %I.%I', v.schema_name, v.view_name);
                END IF;
                END IF;
                IF rows_now IS NULL THEN
                    EXECUTE format('SELECT count(*) FROM %I.%I', v.schema_name, v.view_name) INTO rows_now;
                END IF;
                -- The queued views that read this one are now behind it.
                INSERT INTO \(s).pending_changes (view_name, source_table)
                SELECT d.view_name, format('%I.%I', v.schema_name, v.view_name)
                FROM \(s).views d WHERE d.on_change = 'queue' AND d.strategy = 'full' AND p_view = ANY (d.depends_on);
                INSERT INTO \(s).refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, trigger_source, changes_applied)
                VALUES (p_view, started, clock_timestamp(),
                        round((extract(epoch FROM clock_timestamp() - started) * 1000)::numeric, 3), rows_now, 'succeeded', p_source, applied);
                -- The log keeps \(Self.logRetention) per view (a view drained every second writes
                -- 86,400 rows a day); pruned only here, after a success, so the last good
                -- refresh is never lost.
                DELETE FROM \(s).refresh_log WHERE view_name = p_view AND started_at < started - interval '\(Self.logRetention)';
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
            EXECUTE format('ALTER %s %I.%I RENAME TO %I',
                           CASE (SELECT relkind FROM pg_class WHERE oid = format('%I.%I', p_schema, p_view)::regclass)
                               WHEN 'r' THEN 'TABLE' ELSE 'MATERIALIZED VIEW' END,
                           p_schema, p_view, p_old_name);
        END;
        $function$;

        """
    }
}

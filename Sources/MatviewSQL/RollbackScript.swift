/// down.sql: removes everything up.sql created, and nothing else: our pg_cron jobs (and their
/// run history), the change triggers, the views recorded as deployed, and the support schema.
/// pg_cron itself stays. Running it again, or before any apply, changes nothing.
struct RollbackScript {
    let supportSchema: String
    let header: String

    func sql() -> String {
        let s = SQLText.name(supportSchema)
        let prefix = "\(supportSchema):"
        return """
        \(header)
        BEGIN;

        DO $matview$
        DECLARE
            r record;
        BEGIN
            IF to_regnamespace(\(SQLText.literal(supportSchema))) IS NULL THEN
                RAISE NOTICE 'matview: nothing to roll back (no schema %)', \(SQLText.literal(supportSchema));
                RETURN;
            END IF;

            -- Our pg_cron jobs and their history; pg_cron itself stays.
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
                IF to_regclass('cron.job_run_details') IS NOT NULL THEN
                    DELETE FROM cron.job_run_details
                    WHERE jobid IN (SELECT jobid FROM cron.job WHERE left(jobname, \(prefix.count)) = \(SQLText.literal(prefix)));
                END IF;
                PERFORM cron.unschedule(jobid) FROM cron.job WHERE left(jobname, \(prefix.count)) = \(SQLText.literal(prefix));
            END IF;

            -- Change triggers, wherever they are.
            FOR r IN SELECT t.tgname, c.relname, n.nspname
                     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE t.tgfoid = to_regproc(\(SQLText.literal("\(supportSchema).enqueue_refresh"))) LOOP
                EXECUTE format('DROP TRIGGER %I ON %I.%I', r.tgname, r.nspname, r.relname);
            END LOOP;

            -- The views, readers first.
            IF to_regclass(\(SQLText.literal("\(supportSchema).views"))) IS NOT NULL THEN
                FOR r IN SELECT schema_name, view_name FROM \(s).views ORDER BY refresh_order DESC LOOP
                    EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %I.%I', r.schema_name, r.view_name);
                END LOOP;
            END IF;

            SET LOCAL client_min_messages = warning; -- not the list of what CASCADE drops
            DROP SCHEMA \(s) CASCADE;
            SET LOCAL client_min_messages = notice;
            RAISE NOTICE 'matview: rolled back';
        END
        $matview$;

        COMMIT;

        """
    }
}

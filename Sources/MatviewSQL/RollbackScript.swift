import MatviewLowering
/// down.sql: removes everything up.sql created, and nothing else: our pg_cron jobs (and their
/// run history), the drainer (it is asked to stop first), the capture triggers on tables and
/// partitions, the event trigger, the views recorded as deployed (materialized views, and the
/// tables of incremental ones, whose triggers go with their functions), and the support schema.
/// pg_cron itself stays. Running it again, or before any apply, changes nothing.
struct RollbackScript {
    let names: SupportNames
    let header: String

    func sql() -> String {
        let s = names.quotedSchema
        let prefix = names.jobPrefix
        let body = """
        DECLARE
            r record;
        BEGIN
            IF to_regnamespace(\(SQLText.literal(names.quotedSchema))) IS NULL THEN
                RAISE NOTICE 'matview: nothing to roll back (no schema %)', \(SQLText.literal(names.schema));
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

            -- The event trigger, then the capture triggers wherever they are (partitions too).
            IF EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = \(SQLText.literal(names.partitionEventTrigger))) THEN
                DROP EVENT TRIGGER \(SQLText.name(names.partitionEventTrigger));
            END IF;
            FOR r IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_trigger t
                     WHERE t.tgfoid IN (to_regproc(\(SQLText.literal(names.qualified("capture_change")))),
                                        to_regproc(\(SQLText.literal(names.qualified("enqueue_refresh"))))) LOOP
                EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
            END LOOP;

            -- The views, readers first.
            IF to_regclass(\(SQLText.literal(names.qualified("views")))) IS NOT NULL THEN
                FOR r IN SELECT schema_name, view_name FROM \(s).views ORDER BY refresh_order DESC LOOP
                    -- Inline, not drop_view_relation(): a schema deployed by 1.0 lacks that function.
                    EXECUTE format('DROP %s IF EXISTS %I.%I',
                                   CASE (SELECT relkind FROM pg_class WHERE oid = to_regclass(format('%I.%I', r.schema_name, r.view_name)))
                                       WHEN 'r' THEN 'TABLE' ELSE 'MATERIALIZED VIEW' END,
                                   r.schema_name, r.view_name);
                END LOOP;
            END IF;

            SET LOCAL client_min_messages = warning; -- not the list of what CASCADE drops
            DROP SCHEMA \(s) CASCADE;
            SET LOCAL client_min_messages = notice;
            RAISE NOTICE 'matview: rolled back';
        END
        """
        return [header, "BEGIN;", "", DeployScript.stopDrainer(names), SQLText.doBlock(body), "", "COMMIT;", ""].joined(separator: "\n")
    }
}

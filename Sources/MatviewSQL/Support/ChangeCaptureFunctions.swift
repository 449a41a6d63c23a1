import MatviewLowering
/// Change capture: a statement-level trigger on every source table of a queued view, on each of
/// its partitions too (statement triggers on a partitioned table do not fire for writes
/// addressed to a partition), and an event trigger that covers partitions created or attached
/// later.
///
/// The trigger only appends one row per view to pending_changes: it never updates a row another
/// writer may touch, so writers never wait on each other, and its cost does not depend on the
/// table or on the number of rows the statement changed. Installing it takes a lock that waits for the table's writers, so apply installs it
/// only where it is missing or names other views.
struct ChangeCaptureFunctions {
    let names: SupportNames

    var s: String { names.quotedSchema }

    func sql() -> String {
        """
        -- The tables whose writes must be captured: each queued view's source tables and their
        -- partitions, at every level. A view, not a function, because freshness reads it too: a
        -- view's functions are checked against the reader, and a monitoring role with SELECT
        -- alone could not execute one.
        CREATE OR REPLACE VIEW \(s).capture_targets AS
            SELECT DISTINCT v.view_name, tree.rel
            FROM \(s).views v
            CROSS JOIN LATERAL unnest(v.source_tables) AS t(name)
            CROSS JOIN LATERAL (SELECT to_regclass(t.name) AS rel
                                UNION
                                SELECT relid FROM pg_partition_tree(to_regclass(t.name))) AS tree
            WHERE v.on_change = 'queue' AND v.strategy = 'full' AND tree.rel IS NOT NULL;

        -- The trigger function: the views to mark are the trigger's arguments. One row per view
        -- per writing statement. (Marking once per transaction, with a transaction-local
        -- setting, halved the rows of multi-statement transactions but made every single-row
        -- insert about 1.5x slower: set_config costs more than the insert it saves.) SECURITY
        -- DEFINER so writers need no rights on the support schema.
        CREATE OR REPLACE FUNCTION \(s).capture_change()
        RETURNS trigger
        LANGUAGE plpgsql
        SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $function$
        BEGIN
            INSERT INTO \(s).pending_changes (view_name, source_table)
            SELECT view_name, format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) FROM unnest(TG_ARGV) AS view_name;
            RETURN NULL;
        END;
        $function$;

        -- The queued views that read a table, directly or as a partition of a table they read.
        CREATE OR REPLACE FUNCTION \(s).views_capturing(p_table regclass)
        RETURNS text[]
        LANGUAGE sql
        STABLE
        SET search_path = pg_catalog, pg_temp
        AS $function$
            SELECT array_agg(v.view_name ORDER BY v.view_name)
            FROM \(s).views v
            WHERE v.on_change = 'queue' AND v.strategy = 'full'
              AND EXISTS (SELECT 1 FROM unnest(v.source_tables) AS t(name)
                          WHERE to_regclass(t.name) IN (SELECT p_table UNION ALL SELECT relid FROM pg_partition_ancestors(p_table)));
        $function$;

        -- Puts the capture trigger on one table with the right views, or takes it off when no
        -- queued view reads the table any more. Leaves a trigger that is already right alone:
        -- creating one waits for the table's writers.
        CREATE OR REPLACE FUNCTION \(s).install_capture(p_table regclass)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            wanted text[] := \(s).views_capturing(p_table);
            existing pg_trigger%ROWTYPE;
        BEGIN
            SELECT * INTO existing FROM pg_trigger WHERE tgrelid = p_table AND tgname = \(SQLText.literal(names.captureTrigger));
            IF wanted IS NULL THEN
                IF FOUND THEN
                    EXECUTE format('DROP TRIGGER %I ON %s', \(SQLText.literal(names.captureTrigger)), p_table);
                END IF;
                RETURN;
            END IF;
            IF FOUND AND existing.tgfoid = \(SQLText.literal(names.qualified("capture_change")))::regproc
               AND existing.tgenabled <> 'D'
               AND existing.tgargs = (SELECT string_agg(convert_to(w, getdatabaseencoding()) || '\\x00'::bytea, ''::bytea ORDER BY i)
                                      FROM unnest(wanted) WITH ORDINALITY AS a(w, i)) THEN
                RETURN;
            END IF;
            EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                           'FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)',
                           \(SQLText.literal(names.captureTrigger)), p_table, \(SQLText.literal(names.qualified("capture_change"))),
                           (SELECT string_agg(quote_literal(w), ', ' ORDER BY i) FROM unnest(wanted) WITH ORDINALITY AS a(w, i)));
        END;
        $function$;

        -- Every table that should capture, or does: the source tables of the queued views, each
        -- with its whole partition tree, and wherever the trigger is now.
        CREATE OR REPLACE FUNCTION \(s).install_captures()
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            r record;
        BEGIN
            FOR r IN
                SELECT rel FROM \(s).capture_targets
                UNION
                SELECT tgrelid::regclass FROM pg_trigger WHERE tgname = \(SQLText.literal(names.captureTrigger))
                ORDER BY 1
            LOOP
                PERFORM \(s).install_capture(r.rel);
            END LOOP;
        END;
        $function$;

        -- For the event trigger: a table created or altered (CREATE TABLE ... PARTITION OF,
        -- ALTER TABLE ... ATTACH PARTITION) gets the capture trigger when it is, or now has, a
        -- partition of a captured table. SECURITY DEFINER (its owner is the superuser who
        -- applied), so a partition made by any role is covered. It never fails the user's DDL: a
        -- problem is a warning, and status reports the table as uncaptured until the next apply.
        CREATE OR REPLACE FUNCTION \(s).capture_new_partitions()
        RETURNS event_trigger
        LANGUAGE plpgsql
        SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            r record;
        BEGIN
            FOR r IN
                SELECT DISTINCT tree.rel
                FROM pg_event_trigger_ddl_commands() AS c
                CROSS JOIN LATERAL (SELECT c.objid::regclass AS rel
                                    UNION
                                    SELECT relid FROM pg_partition_tree(c.objid::regclass)) AS tree
                WHERE c.classid = 'pg_class'::regclass AND c.object_type = 'table'
                  AND EXISTS (SELECT 1 FROM pg_class k WHERE k.oid = tree.rel AND (k.relispartition OR k.relkind = 'p'))
            LOOP
                BEGIN
                    PERFORM \(s).install_capture(r.rel);
                    PERFORM \(s).install_maintenance_triggers_for(r.rel);
                EXCEPTION WHEN OTHERS THEN
                    RAISE WARNING 'matview: changes to % are not captured: %', r.rel, SQLERRM
                        USING HINT = 'run matview apply again; until then matview status reports the table';
                END;
            END LOOP;
        END;
        $function$;

        """
    }
}

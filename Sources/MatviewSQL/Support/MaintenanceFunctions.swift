import MatviewLowering

/// What every incremental view's maintenance shares: the group locks, putting a trigger on a
/// table and all its partitions, dropping one view's maintenance objects, and dropping a view's
/// relation whatever its kind (a materialized view, or an incremental view's table).
struct MaintenanceFunctions {
    let names: SupportNames

    var s: String { names.quotedSchema }

    /// Past this many groups in one statement, the statement locks the whole view instead: the
    /// lock table has room for max_locks_per_transaction (64) x max_connections locks in all.
    static let groupLockLimit = 1000

    func sql() -> String {
        """
        -- Locks the groups of one view, given their keys (an array of the view's key type,
        -- duplicates allowed), in one global order (by the hash of the key as a value of the key
        -- type, so equal keys that print differently lock the same group; by the hash of its
        -- text where the grain has a type without a hash function), until the end of the
        -- transaction. Every statement also takes the view's lock shared; a statement that
        -- changes more than \(Self.groupLockLimit) groups takes it exclusively instead of one lock per group.
        -- One group (a single-row write's usual case) takes no query. The keys are handed over as
        -- they are: a subquery in the caller that hashed them cost a single-row insert's trigger
        -- about a tenth of its CPU.
        -- No SET clause (applied and undone at every call, it cost more than the locks): only
        -- the trigger functions, which pin search_path, and refresh() call it.
        -- Earlier deployments passed the keys' text, then their hashes.
        DROP FUNCTION IF EXISTS \(s).lock_group_keys(integer, text[]);
        DROP FUNCTION IF EXISTS \(s).lock_group_keys(integer, integer[]);
        CREATE OR REPLACE FUNCTION \(s).lock_group_keys(p_namespace integer, p_keys anyarray, p_hash_text boolean)
        RETURNS void
        LANGUAGE plpgsql
        AS $function$
        DECLARE
            hashes integer[];
            h integer;
        BEGIN
            IF coalesce(pg_catalog.cardinality(p_keys), 0) = 0 THEN
                RETURN;
            END IF;
            IF p_keys[1] = ALL (p_keys) THEN
                PERFORM pg_catalog.pg_advisory_xact_lock_shared(p_namespace::bigint);
                PERFORM pg_catalog.pg_advisory_xact_lock(p_namespace,
                    CASE WHEN p_hash_text THEN pg_catalog.hashtext(p_keys[1]::text) ELSE pg_catalog.hash_record(p_keys[1]) END);
                RETURN;
            END IF;
            hashes := ARRAY(SELECT DISTINCT CASE WHEN p_hash_text THEN pg_catalog.hashtext(k::text) ELSE pg_catalog.hash_record(k) END
                            FROM pg_catalog.unnest(p_keys) AS k ORDER BY 1);
            IF pg_catalog.cardinality(hashes) > \(Self.groupLockLimit) THEN
                PERFORM pg_catalog.pg_advisory_xact_lock(p_namespace::bigint);
                RETURN;
            END IF;
            PERFORM pg_catalog.pg_advisory_xact_lock_shared(p_namespace::bigint);
            FOREACH h IN ARRAY hashes LOOP
                PERFORM pg_catalog.pg_advisory_xact_lock(p_namespace, h);
            END LOOP;
        END;
        $function$;

        -- Puts one maintenance trigger (statement level, with its event's transition tables) on
        -- a table and on every partition of it, at every level: a statement trigger on a
        -- partitioned table does not fire for writes addressed to a partition. Leaves a trigger
        -- that is already right alone: creating one waits for the table's writers.
        CREATE OR REPLACE FUNCTION \(s).install_maintenance_trigger(p_table regclass, p_trigger text, p_function text, p_event text)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            r record;
            referencing text := CASE p_event
                WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows '
                WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows '
                ELSE '' END;
        BEGIN
            FOR r IN SELECT p_table AS rel UNION SELECT relid FROM pg_partition_tree(p_table) ORDER BY 1 LOOP
                CONTINUE WHEN EXISTS (SELECT 1 FROM pg_trigger
                                      WHERE tgrelid = r.rel AND tgname = p_trigger AND tgfoid = p_function::regproc AND tgenabled <> 'D');
                EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON %s %sFOR EACH STATEMENT EXECUTE FUNCTION %s()',
                               p_trigger, p_event, r.rel, referencing, p_function);
            END LOOP;
        END;
        $function$;

        -- For a partition created or attached after apply: the maintenance triggers of the
        -- tables above it.
        CREATE OR REPLACE FUNCTION \(s).install_maintenance_triggers_for(p_table regclass)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            r record;
        BEGIN
            FOR r IN
                SELECT DISTINCT t.tgname, t.tgfoid::regproc::text AS function,
                       CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' WHEN t.tgtype & 8 <> 0 THEN 'DELETE'
                            WHEN t.tgtype & 16 <> 0 THEN 'UPDATE' ELSE 'TRUNCATE' END AS event
                FROM pg_partition_ancestors(p_table) AS a
                JOIN pg_trigger t ON t.tgrelid = a.relid
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE a.relid <> p_table AND p.pronamespace = \(SQLText.literal(names.quotedSchema))::regnamespace AND left(p.proname, 4) = 'inc_'
            LOOP
                PERFORM \(s).install_maintenance_trigger(p_table, r.tgname, r.function, r.event);
            END LOOP;
        END;
        $function$;

        -- Drops one incremental view's maintenance functions (and so their triggers), key type and hidden averages table.
        CREATE OR REPLACE FUNCTION \(s).drop_maintenance(p_prefix text)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            r record;
        BEGIN
            FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
                     WHERE p.pronamespace = \(SQLText.literal(names.quotedSchema))::regnamespace
                       AND left(p.proname, length(p_prefix) + 1) = p_prefix || '_'
                     ORDER BY p.proname LOOP
                EXECUTE format('DROP FUNCTION %s CASCADE', r.f);
            END LOOP;
            IF to_regtype(format('%I.%I', \(SQLText.literal(names.schema)), p_prefix || '_key')) IS NOT NULL THEN
                EXECUTE format('DROP TYPE %I.%I CASCADE', \(SQLText.literal(names.schema)), p_prefix || '_key');
            END IF;
            -- The hidden sums and counts of its averages (LoweredAverages).
            IF to_regclass(format('%I.%I', \(SQLText.literal(names.schema)), p_prefix || '_averages')) IS NOT NULL THEN
                EXECUTE format('DROP TABLE %I.%I', \(SQLText.literal(names.schema)), p_prefix || '_averages');
            END IF;
        END;
        $function$;

        -- Drops a deployed view's relation, whichever kind it is.
        CREATE OR REPLACE FUNCTION \(s).drop_view_relation(p_schema text, p_name text)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            kind "char" := (SELECT relkind FROM pg_class WHERE oid = to_regclass(format('%I.%I', p_schema, p_name)));
        BEGIN
            IF kind = 'm' THEN
                EXECUTE format('DROP MATERIALIZED VIEW %I.%I', p_schema, p_name);
            ELSIF kind = 'r' THEN
                EXECUTE format('DROP TABLE %I.%I', p_schema, p_name);
            END IF;
        END;
        $function$;

        """
    }
}

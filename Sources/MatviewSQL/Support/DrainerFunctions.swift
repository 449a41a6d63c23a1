import MatviewLowering
/// Draining the pending changes: short rounds, each committing on its own, by one drainer per
/// database at a time (pg_cron's `run_drainer` procedure or `matview worker`), plus the manual
/// `drain_queue()`.
///
/// A round never holds a lock a writer needs: writers only append to pending_changes, and a
/// refresh takes the changes it can see and leaves the others. One refresh per view at a time
/// (a transaction-level advisory lock on the view): drainers skip a busy view, never wait.
///
/// Apply and rollback take the drainer's lock before anything else; a drainer sees that someone
/// waits for it between rounds and stops, so a newer deployment never runs beside an older loop.
struct DrainerFunctions {
    let names: SupportNames

    var s: String { names.quotedSchema }
    var lockKey: String { "\(names.drainerLockKey)" }

    func sql() -> String {
        """
        -- The queued views with pending changes, and when each is due: min_interval after its
        -- last refresh started (30 seconds at least after a failed one, so a broken view is not
        -- retried in a tight loop). A view waits while a view it reads has pending changes of its
        -- own: that view's refresh marks it again.
        CREATE OR REPLACE FUNCTION \(s).pending_views()
        RETURNS TABLE (view_name text, refresh_order integer, due_at timestamptz)
        LANGUAGE sql
        STABLE
        SET search_path = pg_catalog, pg_temp
        AS $function$
            SELECT v.view_name, v.refresh_order,
                   coalesce(last.started_at + CASE WHEN last.status = 'failed' THEN greatest(v.min_interval, interval '30 seconds')
                                                   ELSE v.min_interval END,
                            '-infinity')
            FROM \(s).views v
            LEFT JOIN LATERAL (
                SELECT l.started_at, l.status FROM \(s).refresh_log l
                WHERE l.view_name = v.view_name ORDER BY l.started_at DESC LIMIT 1
            ) last ON true
            WHERE v.on_change = 'queue'
              AND EXISTS (SELECT 1 FROM \(s).pending_changes p WHERE p.view_name = v.view_name)
              AND NOT EXISTS (SELECT 1 FROM \(s).pending_changes p WHERE p.view_name = ANY (v.depends_on));
        $function$;

        -- The views whose turn has come, in dependency order.
        CREATE OR REPLACE FUNCTION \(s).due_views()
        RETURNS SETOF text
        LANGUAGE sql
        STABLE
        SET search_path = pg_catalog, pg_temp
        AS $function$
            SELECT view_name FROM \(s).pending_views() WHERE due_at <= clock_timestamp() ORDER BY refresh_order, view_name;
        $function$;

        -- How long a drainer with nothing due may nap: until the next pending view is due, and
        -- never longer than its poll interval (changes may arrive meanwhile).
        CREATE OR REPLACE FUNCTION \(s).nap_seconds(p_poll_seconds double precision)
        RETURNS double precision
        LANGUAGE sql
        STABLE
        SET search_path = pg_catalog, pg_temp
        AS $function$
            SELECT least(p_poll_seconds,
                         greatest(0, coalesce(extract(epoch FROM min(due_at) - clock_timestamp())::double precision, p_poll_seconds)))
            FROM \(s).pending_views();
        $function$;

        -- One drain of one view, for automatic drainers: skips a view another drainer or a
        -- refresh is busy with, and one whose changes were applied meanwhile. Returns whether it
        -- refreshed. The caller commits right after.
        CREATE OR REPLACE FUNCTION \(s).drain_view(p_view text, p_source text)
        RETURNS boolean
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        BEGIN
            IF NOT pg_try_advisory_xact_lock(\(names.viewLockNamespace), hashtext(p_view)) THEN
                RETURN false;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM \(s).pending_changes WHERE view_name = p_view) THEN
                RETURN false;
            END IF;
            RETURN \(s).refresh(p_view, p_source, false);
        END;
        $function$;

        -- The drainer's session-level lock: taken by whoever drains, so only one drainer runs.
        CREATE OR REPLACE FUNCTION \(s).drainer_lock()
        RETURNS boolean
        LANGUAGE sql
        SET search_path = pg_catalog, pg_temp
        AS $function$ SELECT pg_try_advisory_lock(\(lockKey)) $function$;

        CREATE OR REPLACE FUNCTION \(s).drainer_unlock()
        RETURNS boolean
        LANGUAGE sql
        SET search_path = pg_catalog, pg_temp
        AS $function$ SELECT pg_advisory_unlock(\(lockKey)) $function$;

        -- True when an apply or a rollback waits for the drainer's lock: the drainer should stop.
        CREATE OR REPLACE FUNCTION \(s).drainer_stop_requested()
        RETURNS boolean
        LANGUAGE sql
        SET search_path = pg_catalog, pg_temp
        AS $function$
            SELECT EXISTS (SELECT 1 FROM pg_locks
                           WHERE locktype = 'advisory' AND NOT granted
                             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = \(lockKey));
        $function$;

        -- The drainer that pg_cron starts every minute: rounds until just before the next minute
        -- (or for p_seconds), each view's drain committed on its own, then a short sleep. It
        -- returns at once when another drainer runs, and stops early when an apply or rollback
        -- waits for it. A procedure, to commit between rounds; so it cannot pin search_path with
        -- SET, and names everything with its schema instead.
        CREATE OR REPLACE PROCEDURE \(s).run_drainer(p_source text DEFAULT 'cron', p_seconds double precision DEFAULT NULL,
                                                     p_poll_seconds double precision DEFAULT 0.2)
        LANGUAGE plpgsql
        AS $procedure$
        DECLARE
            deadline timestamptz;
            due text[];
            v text;
            refreshed boolean;
        BEGIN
            IF NOT \(s).drainer_lock() THEN
                RAISE NOTICE 'matview: another drainer is running';
                RETURN;
            END IF;
            deadline := CASE WHEN p_seconds IS NULL
                             THEN pg_catalog.date_trunc('minute', pg_catalog.clock_timestamp()) + interval '59 seconds'
                             ELSE pg_catalog.clock_timestamp() + p_seconds * interval '1 second' END;
            LOOP
                refreshed := false;
                due := ARRAY(SELECT \(s).due_views());
                FOREACH v IN ARRAY due LOOP
                    EXIT WHEN \(s).drainer_stop_requested();
                    refreshed := \(s).drain_view(v, p_source) OR refreshed;
                    COMMIT;
                END LOOP;
                EXIT WHEN \(s).drainer_stop_requested() OR pg_catalog.clock_timestamp() >= deadline;
                -- Straight on after a refresh (it may have marked the views that read it), else a
                -- nap until the next view is due or the poll interval has passed.
                IF NOT refreshed THEN
                    PERFORM pg_catalog.pg_sleep(LEAST(\(s).nap_seconds(p_poll_seconds),
                                                      pg_catalog.date_part('epoch', deadline - pg_catalog.clock_timestamp())));
                END IF;
                -- Each round in its own transaction: an idle drainer holds back no vacuum.
                COMMIT;
            END LOOP;
            PERFORM \(s).drainer_unlock();
        END;
        $procedure$;

        -- The manual drain: applies everything pending now, whatever min_interval says. Where a
        -- drainer is busy with a view it waits for that round to end, then applies what is still
        -- pending, so the views are current when it returns. An incremental view's drain takes
        -- a batch of the oldest changes, so it drains again until nothing queued before the call
        -- is left (or a drain fails). Returns how many views it refreshed.
        CREATE OR REPLACE FUNCTION \(s).drain_queue()
        RETURNS integer
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $function$
        DECLARE
            v record;
            refreshed integer := 0;
            called timestamptz := clock_timestamp();
        BEGIN
            FOR v IN SELECT view_name FROM \(s).views WHERE on_change = 'queue' ORDER BY refresh_order, view_name LOOP
                PERFORM pg_advisory_xact_lock(\(names.viewLockNamespace), hashtext(v.view_name));
                IF EXISTS (SELECT 1 FROM \(s).pending_changes p WHERE p.view_name = v.view_name) THEN
                    refreshed := refreshed + 1;
                    LOOP
                        EXIT WHEN NOT \(s).refresh(v.view_name, 'drain_queue', false);
                        EXIT WHEN NOT EXISTS (SELECT 1 FROM \(s).pending_changes p WHERE p.view_name = v.view_name AND p.captured_at <= called);
                    END LOOP;
                END IF;
            END LOOP;
            RETURN refreshed;
        END;
        $function$;

        """
    }
}

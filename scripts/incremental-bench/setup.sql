-- Helpers of scripts/incremental-bench.sh, in a schema of their own (incbench), run once per
-- database after the seed data and the views are in place.

CREATE SCHEMA IF NOT EXISTS incbench;

-- The starting data, to return to between runs.
CREATE TABLE incbench.base AS
SELECT (SELECT max(id) FROM public.tasks) AS tasks, (SELECT max(id) FROM public.users) AS users,
       (SELECT max(id) FROM public.transactions) AS transactions, (SELECT max(id) FROM public.projects) AS projects;
CREATE TABLE incbench.tasks_orig AS SELECT * FROM public.tasks;
ALTER TABLE incbench.tasks_orig ADD PRIMARY KEY (id);
CREATE TABLE incbench.projects_orig AS SELECT id, updated_at FROM public.projects;
ALTER TABLE incbench.projects_orig ADD PRIMARY KEY (id);

-- 2,000 projects spread over the id range (so over as many users as there are), for the 10k-row
-- insert: 5 tasks each.
CREATE TABLE incbench.spread_projects AS
SELECT min(id) AS id FROM (SELECT id, ntile(2000) OVER (ORDER BY id) AS bucket FROM public.projects) p GROUP BY bucket;

-- matview's own triggers on the source tables (and on view tables, for cascades): those whose
-- function lives in the support schema. Foreign-key triggers are internal and stay.
CREATE OR REPLACE FUNCTION incbench.matview_triggers()
RETURNS TABLE (table_name text, trigger_name text, enabled boolean)
LANGUAGE sql
AS $$
    SELECT t.tgrelid::regclass::text, t.tgname::text, t.tgenabled <> 'D'
    FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid JOIN pg_namespace n ON n.oid = f.pronamespace
    WHERE n.nspname = 'matview' AND NOT t.tgisinternal
    ORDER BY 1, 2
$$;

-- Switches them all on or off: "none" is the same deployment with its triggers disabled.
CREATE OR REPLACE FUNCTION incbench.set_triggers(p_on boolean)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN SELECT * FROM incbench.matview_triggers() WHERE enabled IS DISTINCT FROM p_on LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER %I', r.table_name, CASE WHEN p_on THEN 'ENABLE' ELSE 'DISABLE' END, r.trigger_name);
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;

-- The least any immediate maintenance of the writers' transaction (writers.sql) must do, as
-- statement triggers beside matview's (off while these run): find the group the changed row
-- reaches (through projects for a task), lock it (one advisory lock), and move one column of
-- its row. No view stays exact under these; they measure how far the 4 writers' goal is
-- reachable at all on this machine. Created disabled; incbench.set_least switches them.
CREATE OR REPLACE FUNCTION incbench.least_task_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
    SELECT p.user_id INTO k FROM new_rows AS t JOIN public.projects AS p ON p.id = t.project_id;
    PERFORM pg_catalog.pg_advisory_xact_lock(k);
    UPDATE public.dashboard_summary_mv SET total_tasks = total_tasks + 1 WHERE user_id = k;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION incbench.least_project_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
    SELECT t.user_id INTO k FROM new_rows AS t;
    PERFORM pg_catalog.pg_advisory_xact_lock(k);
    UPDATE public.dashboard_summary_mv SET last_activity = greatest(last_activity, now()) WHERE user_id = k;
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION incbench.least_transaction_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
    SELECT t.user_id INTO k FROM new_rows AS t;
    PERFORM pg_catalog.pg_advisory_xact_lock(k);
    UPDATE public.user_stats_mv SET total_transactions = total_transactions + 1 WHERE user_id = k;
    RETURN NULL;
END;
$$;
CREATE TRIGGER incbench_least AFTER INSERT ON public.tasks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incbench.least_task_insert();
CREATE TRIGGER incbench_least AFTER UPDATE ON public.projects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incbench.least_project_update();
CREATE TRIGGER incbench_least AFTER INSERT ON public.transactions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incbench.least_transaction_insert();
ALTER TABLE public.tasks DISABLE TRIGGER incbench_least;
ALTER TABLE public.projects DISABLE TRIGGER incbench_least;
ALTER TABLE public.transactions DISABLE TRIGGER incbench_least;

CREATE OR REPLACE FUNCTION incbench.set_least(p_on boolean)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['public.tasks', 'public.projects', 'public.transactions'] LOOP
        EXECUTE format('ALTER TABLE %s %s TRIGGER incbench_least', t, CASE WHEN p_on THEN 'ENABLE' ELSE 'DISABLE' END);
    END LOOP;
END;
$$;

-- Back to the starting data, with the triggers off (the caller vacuums, rebuilds the views if
-- a run maintained them, and switches the triggers back as the next run needs).
CREATE OR REPLACE FUNCTION incbench.reset()
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    b incbench.base;
    deleted bigint; restored bigint; reverted bigint; projects bigint;
BEGIN
    PERFORM incbench.set_triggers(false);
    PERFORM incbench.set_least(false);
    SELECT * INTO b FROM incbench.base;
    DELETE FROM public.tasks WHERE id > b.tasks;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    INSERT INTO public.tasks SELECT o.* FROM incbench.tasks_orig o WHERE NOT EXISTS (SELECT 1 FROM public.tasks t WHERE t.id = o.id);
    GET DIAGNOSTICS restored = ROW_COUNT;
    UPDATE public.tasks t SET project_id = o.project_id, status = o.status, completion_time = o.completion_time,
                              created_at = o.created_at, updated_at = o.updated_at, completed_at = o.completed_at
    FROM incbench.tasks_orig o
    WHERE o.id = t.id AND (t.project_id, t.status, t.completion_time, t.created_at, t.updated_at, t.completed_at)
                          IS DISTINCT FROM (o.project_id, o.status, o.completion_time, o.created_at, o.updated_at, o.completed_at);
    GET DIAGNOSTICS reverted = ROW_COUNT;
    UPDATE public.projects p SET updated_at = o.updated_at FROM incbench.projects_orig o
    WHERE o.id = p.id AND p.updated_at IS DISTINCT FROM o.updated_at;
    GET DIAGNOSTICS projects = ROW_COUNT;
    DELETE FROM public.transactions WHERE id > b.transactions;
    DELETE FROM public.users WHERE id > b.users;
    IF to_regclass('matview.pending_changes') IS NOT NULL THEN
        TRUNCATE matview.pending_changes;
    END IF;
    RETURN format('tasks: %s added deleted, %s deleted restored, %s updated reverted; %s projects reverted', deleted, restored, reverted, projects);
END;
$$;

-- One statement timed in the server, in milliseconds (no client round trip).
CREATE OR REPLACE FUNCTION incbench.time_sql(p_sql text)
RETURNS double precision
LANGUAGE plpgsql
AS $$
DECLARE
    t timestamptz := clock_timestamp();
BEGIN
    EXECUTE p_sql;
    RETURN extract(epoch FROM clock_timestamp() - t) * 1000;
END;
$$;

-- The commit -> visible probe is scripts/bench/probe.sql.

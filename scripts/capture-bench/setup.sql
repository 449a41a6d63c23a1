-- Helpers for scripts/capture-bench.sh, in a schema of their own (capture_bench); the
-- commit -> visible probe is scripts/bench/probe.sql.
CREATE SCHEMA IF NOT EXISTS capture_bench;
-- One drainer poll timed inside the server, p_n times (milliseconds each), as the drainer
-- runs it: no client round trip.
CREATE OR REPLACE FUNCTION capture_bench.time_polls(p_n integer)
RETURNS SETOF double precision
LANGUAGE plpgsql
AS $time$
DECLARE
    t timestamptz;
BEGIN
    FOR i IN 1..p_n LOOP
        t := clock_timestamp();
        PERFORM count(*) FROM matview.due_views();
        RETURN NEXT extract(epoch FROM clock_timestamp() - t) * 1000;
    END LOOP;
END;
$time$;

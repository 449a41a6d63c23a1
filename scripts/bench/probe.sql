-- The commit -> visible probe that scripts/capture-bench.sh and scripts/incremental-bench.sh
-- share, in a schema of its own (bench_probe): a procedure (so it can COMMIT between
-- statements) that, per sample, inserts a user named '<p_label> <sample> <random>', commits,
-- records the time right after COMMIT, then polls dashboard_summary_mv by the new user_id
-- (unique index), each poll in its own transaction, until the row is there. Results go to
-- bench_probe.probe_results; a sample not seen within p_timeout seconds has visible_at NULL. A
-- random pause of up to p_gap seconds between samples spreads the commits over the drainer's
-- cycle.
CREATE SCHEMA IF NOT EXISTS bench_probe;
CREATE TABLE IF NOT EXISTS bench_probe.probe_results (
    sample       integer NOT NULL,
    user_id      bigint NOT NULL,
    committed_at timestamptz NOT NULL,
    visible_at   timestamptz,
    polls        integer NOT NULL
);
CREATE OR REPLACE PROCEDURE bench_probe.probe(p_first integer, p_samples integer, p_poll double precision DEFAULT 0.01,
                                              p_gap double precision DEFAULT 0.3, p_timeout double precision DEFAULT 30,
                                              p_label text DEFAULT 'bench probe')
LANGUAGE plpgsql
AS $probe$
DECLARE
    uid bigint;
    uname text;
    committed timestamptz;
    seen timestamptz;
    n integer;
BEGIN
    FOR i IN p_first..p_first + p_samples - 1 LOOP
        uname := p_label || ' ' || i || ' ' || md5(random()::text);
        INSERT INTO public.users (name) VALUES (uname) RETURNING id INTO uid;
        COMMIT;
        committed := clock_timestamp();
        n := 0;
        seen := NULL;
        LOOP
            n := n + 1;
            IF EXISTS (SELECT 1 FROM public.dashboard_summary_mv WHERE user_id = uid AND name = uname) THEN
                seen := clock_timestamp();
                EXIT;
            END IF;
            COMMIT;
            EXIT WHEN clock_timestamp() - committed > p_timeout * interval '1 second';
            PERFORM pg_sleep(p_poll);
        END LOOP;
        INSERT INTO bench_probe.probe_results VALUES (i, uid, committed, seen, n);
        COMMIT;
        PERFORM pg_sleep(random() * p_gap);
    END LOOP;
END;
$probe$;

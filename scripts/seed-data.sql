-- Deterministic data for the seed's tables (specs/schema.sql), scaled by a user count:
--   psql -v users=100000 -f scripts/seed-data.sql
-- Per user: 0-4 projects, 0-7 tasks per project, 0-19 transactions and 0-9 sessions over the
-- last 45 days. Every value is derived from ids by arithmetic, so the same count gives the
-- same rows on every run; "now" is taken once, at the start, so the data sits around today.
\if :{?users}
\else
\set users 1000
\endif
BEGIN;
CREATE TEMPORARY TABLE seed_clock ON COMMIT DROP AS SELECT date_trunc('day', now()) AS today;

INSERT INTO users (id, name, role, created_at, updated_at, last_login)
SELECT i,
       'user ' || i,
       (ARRAY['member', 'member', 'member', 'admin', 'bot'])[1 + i % 5],
       c.today - make_interval(days => (1 + (i * 7) % 60)::int),
       c.today - make_interval(days => ((i * 3) % 30)::int, mins => (i % 1440)::int),
       CASE WHEN i % 4 = 0 THEN NULL ELSE c.today - make_interval(days => ((i * 11) % 40)::int, mins => ((i * 13) % 1440)::int) END
FROM generate_series(1, :users) AS i, seed_clock c;

INSERT INTO projects (id, user_id, name, created_at, updated_at)
SELECT u * 5 + k, u, 'project ' || k || ' of ' || u,
       c.today - make_interval(days => (1 + (u + k) % 50)::int),
       c.today - make_interval(days => ((u * k) % 20)::int, mins => ((u + k * 17) % 1440)::int)
FROM generate_series(1, :users) AS u, generate_series(0, 4) AS k, seed_clock c
WHERE k < (u * 7) % 5;

INSERT INTO tasks (project_id, status, completion_time, created_at, updated_at, completed_at)
SELECT p.id,
       (ARRAY['open', 'in_progress', 'completed', 'completed'])[1 + (p.id + k) % 4],
       CASE WHEN (p.id + k) % 4 >= 2 THEN make_interval(hours => (1 + (p.id * k) % 72)::int) END,
       c.today - make_interval(days => (1 + (p.id + k) % 40)::int, mins => ((p.id * 3 + k) % 1440)::int),
       c.today - make_interval(days => ((p.id + k) % 10)::int, mins => ((p.id + k * 7) % 1440)::int),
       CASE WHEN (p.id + k) % 4 >= 2
            THEN c.today - make_interval(days => (1 + (p.id + k) % 40)::int, mins => ((p.id * 3 + k) % 1440)::int) + make_interval(hours => (1 + (p.id * k) % 72)::int) END
FROM projects p, generate_series(0, 6) AS k, seed_clock c
WHERE k < (p.id * 3) % 8;

INSERT INTO transactions (user_id, amount, category, created_at)
SELECT u,
       round(((u * 37 + k * 101) % 50000) / 100.0 + 1, 2),
       (ARRAY['food', 'travel', 'software', 'office', 'other'])[1 + (u + k) % 5],
       c.today - make_interval(days => ((u + k * 3) % 45)::int, mins => ((u * 7 + k * 13) % 1440)::int)
FROM generate_series(1, :users) AS u, generate_series(0, 19) AS k, seed_clock c
WHERE k < (u * 13) % 20;

INSERT INTO user_sessions (user_id, started_at, ended_at)
SELECT u,
       c.today - make_interval(days => ((u + k * 5) % 45)::int, mins => ((u * 11 + k) % 1440)::int),
       CASE WHEN (u + k) % 6 = 0 THEN NULL
            ELSE c.today - make_interval(days => ((u + k * 5) % 45)::int, mins => ((u * 11 + k) % 1440)::int) + make_interval(mins => (1 + (u * k) % 240)::int) END
FROM generate_series(1, :users) AS u, generate_series(0, 9) AS k, seed_clock c
WHERE k < (u * 3) % 10;

SELECT setval(pg_get_serial_sequence('users', 'id'), :users) \g /dev/null
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT coalesce(max(id), 1) FROM projects)) \g /dev/null
COMMIT;
ANALYZE;

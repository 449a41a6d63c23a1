-- 10,000 tasks in one transaction: 5 in each of 2,000 projects spread over the id range
-- (incbench.spread_projects). psql -f with \timing; the script sums the times.
\timing on
BEGIN;
INSERT INTO tasks (project_id, status, created_at, updated_at, completed_at)
SELECT s.id, (ARRAY['open', 'in_progress', 'completed'])[1 + g % 3], now() - g * interval '1 hour', now(),
       CASE WHEN g % 3 = 2 THEN now() END
FROM incbench.spread_projects s, generate_series(1, 5) AS g;
COMMIT;

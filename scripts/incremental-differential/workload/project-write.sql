-- Projects: a new one for a user, one moved to another user (dashboard_summary_mv's groups),
-- one touched (updated_at, read by last_activity), or (1 in 12) one deleted with its tasks.
\set p random(1, :pmax)
\set u random(1, :umax)
\set k random(1, 12)
\if :k <= 3
INSERT INTO projects (user_id, name) SELECT id, 'workload project' FROM users WHERE id >= :u ORDER BY id LIMIT 1 FOR KEY SHARE;
\elif :k <= 7
WITH target AS (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1 FOR KEY SHARE)
UPDATE projects p SET user_id = target.id, updated_at = now() FROM target
WHERE p.id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1);
\elif :k <= 11
UPDATE projects SET updated_at = now() - :u % 30 * interval '1 day' WHERE id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1);
\else
BEGIN;
SELECT coalesce((SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1 FOR UPDATE), 0) AS victim \gset
\if :victim > 0
DELETE FROM tasks WHERE project_id = :victim;
DELETE FROM projects WHERE id = :victim;
\endif
COMMIT;
\endif

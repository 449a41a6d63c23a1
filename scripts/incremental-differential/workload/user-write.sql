-- Users: a new one (no projects: a dashboard row with zeros), a role change (moves the user
-- between role_activity's groups), a rename (dashboard_summary_mv groups by name too), a touch,
-- or (1 in 20) a delete with everything that references the user. Users 1..hot are never
-- deleted.
\set u random(1, :umax)
\set k random(1, 20)
\if :k <= 3
INSERT INTO users (name, role) VALUES ('workload user ' || :u, (ARRAY['member', 'admin', 'bot'])[1 + :u % 3]);
\elif :k <= 10
UPDATE users SET role = CASE role WHEN 'member' THEN 'admin' WHEN 'admin' THEN 'bot' ELSE 'member' END
WHERE id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
\elif :k <= 14
UPDATE users SET name = name || '*' WHERE id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
\elif :k <= 19
UPDATE users SET updated_at = now() WHERE id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
\else
BEGIN;
SELECT coalesce((SELECT id FROM users WHERE id >= greatest(:u, :hot + 1) ORDER BY id LIMIT 1 FOR UPDATE), 0) AS victim \gset
\if :victim > 0
SELECT count(*) FROM (SELECT id FROM projects WHERE user_id = :victim ORDER BY id FOR UPDATE) locked;
DELETE FROM tasks WHERE project_id IN (SELECT id FROM projects WHERE user_id = :victim);
DELETE FROM projects WHERE user_id = :victim;
DELETE FROM transactions WHERE user_id = :victim;
DELETE FROM user_sessions WHERE user_id = :victim;
DELETE FROM users WHERE id = :victim;
\endif
COMMIT;
\endif

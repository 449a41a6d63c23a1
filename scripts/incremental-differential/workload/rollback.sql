-- A whole transaction of changes to every source table, rolled back.
\set p random(1, :pmax)
\set u random(1, :umax)
BEGIN;
INSERT INTO tasks (project_id, status) SELECT id, 'completed' FROM projects WHERE id >= :p ORDER BY id LIMIT 1 FOR KEY SHARE;
DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE project_id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1) LIMIT 2);
UPDATE projects SET updated_at = now() WHERE id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1);
DELETE FROM transactions WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
UPDATE users SET role = 'rolled back' WHERE id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
INSERT INTO users (name) VALUES ('rolled back');
ROLLBACK;

-- Changes inside savepoints: some rolled back to the savepoint, some released, then committed.
\set p random(1, :pmax)
\set u random(1, :umax)
\set t random(1, :tmax)
\set a random(1, 60000)
BEGIN;
INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id >= :p ORDER BY id LIMIT 1 FOR KEY SHARE;
SAVEPOINT s1;
DELETE FROM tasks WHERE project_id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1);
UPDATE users SET role = 'bot' WHERE id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
INSERT INTO transactions (user_id, amount, category) SELECT id, 99999, 'rolled back' FROM users WHERE id >= :u ORDER BY id LIMIT 1 FOR KEY SHARE;
ROLLBACK TO SAVEPOINT s1;
UPDATE tasks SET status = 'completed', completed_at = now() WHERE id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
SAVEPOINT s2;
INSERT INTO transactions (user_id, amount, category) SELECT id, :a / 100.0, 'savepoint' FROM users WHERE id >= :u ORDER BY id LIMIT 1 FOR KEY SHARE;
RELEASE SAVEPOINT s2;
SAVEPOINT s3;
UPDATE tasks SET completed_at = NULL, status = 'open' WHERE id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
ROLLBACK TO SAVEPOINT s3;
COMMIT;

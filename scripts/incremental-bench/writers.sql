-- One writer's transaction (pgbench script): a new task in a random project, a touch of another
-- random project, and a new transaction of a random user, committed together.
\set r1 random(:pmin, :pmax)
\set r2 random(:pmin, :pmax)
\set u random(1, :umax)
\set a random(100, 50000)
BEGIN;
INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id >= :r1 ORDER BY id LIMIT 1;
UPDATE projects SET updated_at = now() WHERE id = (SELECT id FROM projects WHERE id >= :r2 ORDER BY id LIMIT 1);
INSERT INTO transactions (user_id, amount, category) VALUES (:u, :a / 100.0, 'bench');
END;

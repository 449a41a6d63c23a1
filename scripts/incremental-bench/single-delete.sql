-- One task deleted per transaction (pgbench script, autocommit): a random task.
\set r random(:tmin, :tmax)
DELETE FROM tasks WHERE id = (SELECT id FROM tasks WHERE id >= :r ORDER BY id LIMIT 1);

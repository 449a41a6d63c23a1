-- One task's status changed per transaction (pgbench script, autocommit): a random task.
\set r random(:tmin, :tmax)
UPDATE tasks SET status = CASE status WHEN 'completed' THEN 'open' ELSE 'completed' END, updated_at = now()
WHERE id = (SELECT id FROM tasks WHERE id >= :r ORDER BY id LIMIT 1);

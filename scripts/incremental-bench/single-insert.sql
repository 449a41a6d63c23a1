-- One task inserted per transaction (pgbench script, autocommit), in a random project.
\set r random(:pmin, :pmax)
INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id >= :r ORDER BY id LIMIT 1;

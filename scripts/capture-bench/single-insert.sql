-- One task inserted per transaction (pgbench script, autocommit), for per-insert latency.
\set r1 random(:pmin, :pmax)
INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id >= :r1 ORDER BY id LIMIT 1;

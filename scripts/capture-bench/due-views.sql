-- What the drainer runs on every poll (pgbench script).
SELECT count(*) FROM matview.due_views();

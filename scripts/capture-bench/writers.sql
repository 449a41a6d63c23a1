-- One writer's transaction (pgbench script): a new task in a random project and a touch of a
-- random project, committed together. pmin/pmax (pgbench -D) bound the project ids; ids have
-- gaps, so each picks the first project at or above a random id.
\set r1 random(:pmin, :pmax)
\set r2 random(:pmin, :pmax)
BEGIN;
INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id >= :r1 ORDER BY id LIMIT 1;
UPDATE projects SET updated_at = now() WHERE id = (SELECT id FROM projects WHERE id >= :r2 ORDER BY id LIMIT 1);
END;

-- A task moves to another project (join key change: another project and maybe another user),
-- or all tasks of one project move to another.
\set t random(1, :tmax)
\set p random(1, :pmax)
\set from random(1, :pmax)
\set k random(1, 4)
\if :k = 1
WITH target AS (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1 FOR KEY SHARE)
UPDATE tasks t SET project_id = target.id, updated_at = now() FROM target
WHERE t.project_id = (SELECT id FROM projects WHERE id >= :from ORDER BY id LIMIT 1);
\else
WITH target AS (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1 FOR KEY SHARE)
UPDATE tasks t SET project_id = target.id, updated_at = now() FROM target
WHERE t.id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
\endif

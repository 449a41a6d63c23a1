-- One task deleted, or every task of a project (its group in project_task_stats drops to 0
-- tasks; min/max become NULL).
\set t random(1, :tmax)
\set p random(1, :pmax)
\set k random(1, 5)
\if :k = 1
DELETE FROM tasks WHERE project_id = (SELECT id FROM projects WHERE id >= :p ORDER BY id LIMIT 1);
\else
DELETE FROM tasks WHERE id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
\endif

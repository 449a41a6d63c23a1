-- A task's status changes, and its completed_at goes from NULL to a day or back to NULL (the
-- nullable group key of completion_days), or only created_at moves (min/max of
-- project_task_stats).
\set t random(1, :tmax)
\set d random(0, 40)
\set k random(1, 3)
\if :k = 1
UPDATE tasks SET created_at = created_at - :d * interval '1 hour' + interval '20 hours', updated_at = now()
WHERE id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
\else
UPDATE tasks SET status = CASE WHEN completed_at IS NULL THEN 'completed' ELSE (ARRAY['open', 'in_progress'])[1 + :d % 2] END,
                 completed_at = CASE WHEN completed_at IS NULL THEN now() - :d * interval '1 day' END,
                 updated_at = now()
WHERE id = (SELECT id FROM tasks WHERE id >= :t ORDER BY id LIMIT 1);
\endif

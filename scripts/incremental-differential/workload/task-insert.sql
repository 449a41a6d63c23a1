-- 1 to 3 tasks in one statement, in random projects (with a random status; completed ones get a
-- completed_at, others NULL), created at a random time in the last 60 days.
\set p1 random(1, :pmax)
\set p2 random(1, :pmax)
\set n random(1, 3)
\set s random(1, 4)
\set d random(0, 60)
INSERT INTO tasks (project_id, status, created_at, updated_at, completed_at)
SELECT p.id, (ARRAY['open', 'in_progress', 'completed', 'completed'])[1 + (:s + g) % 4],
       now() - (:d + g) * interval '1 day', now(),
       CASE WHEN (:s + g) % 4 >= 2 THEN now() - (:d - g) * interval '1 day' END
FROM generate_series(1, :n) AS g
JOIN LATERAL (SELECT id FROM projects WHERE id >= (CASE WHEN g % 2 = 1 THEN :p1 ELSE :p2 END) + g ORDER BY id LIMIT 1 FOR KEY SHARE) p ON true;

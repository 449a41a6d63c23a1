-- Two groups touched in one transaction, in a random order: users a and b among the hot users
-- 1..hot (never deleted), so concurrent clients often take them in opposite orders and
-- deadlock (40P01); pgbench retries the transaction (--max-tries). A short sleep widens the
-- window.
\set a random(1, :hot)
\set b random(1, :hot)
BEGIN;
UPDATE users SET updated_at = now() WHERE id = :a;
UPDATE transactions SET amount = amount + 1 WHERE user_id = :a;
UPDATE tasks SET updated_at = now() WHERE project_id IN (SELECT id FROM projects WHERE user_id = :a);
SELECT pg_sleep(0.002);
UPDATE users SET updated_at = now() WHERE id = :b;
UPDATE transactions SET amount = amount - 1 WHERE user_id = :b;
UPDATE tasks SET updated_at = now() WHERE project_id IN (SELECT id FROM projects WHERE user_id = :b);
COMMIT;

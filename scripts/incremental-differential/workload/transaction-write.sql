-- Transactions: a new one (sometimes the user's largest), one moved to another user, an amount
-- raised or lowered (max after a decrease), the user's largest deleted (max after a delete),
-- or (1 in 20) all of a user's deleted (the user's group in user_spend vanishes).
\set u random(1, :umax)
\set v random(1, :umax)
\set a random(1, 60000)
\set k random(1, 20)
\if :k <= 8
INSERT INTO transactions (user_id, amount, category) SELECT id, :a / 100.0, 'workload' FROM users WHERE id >= :u ORDER BY id LIMIT 1 FOR KEY SHARE;
\elif :k <= 10
WITH target AS (SELECT id FROM users WHERE id >= :v ORDER BY id LIMIT 1 FOR KEY SHARE)
UPDATE transactions t SET user_id = target.id FROM target
WHERE t.id = (SELECT id FROM transactions WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1) ORDER BY amount DESC, id LIMIT 1);
\elif :k <= 12
UPDATE transactions SET amount = :a / 100.0, created_at = created_at - interval '1 day'
WHERE id = (SELECT id FROM transactions WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1) ORDER BY amount DESC, id LIMIT 1);
\elif :k <= 15
DELETE FROM transactions
WHERE id = (SELECT id FROM transactions WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1) ORDER BY amount DESC, id LIMIT 1);
\elif :k <= 19
UPDATE transactions SET category = 'moved', user_id = user_id WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
\else
DELETE FROM transactions WHERE user_id = (SELECT id FROM users WHERE id >= :u ORDER BY id LIMIT 1);
\endif

-- One user's login time set per transaction (pgbench script, autocommit), a random user: a
-- column no incremental view reads, so the update triggers find nothing changed and return.
\set u random(1, :umax)
UPDATE users SET last_login = now() WHERE id = :u;

-- The tables your views read, as plain PostgreSQL DDL: CREATE TABLE with column types, NOT NULL,
-- primary keys, unique constraints and foreign keys (ALTER TABLE and CREATE INDEX work too;
-- anything else `pg_dump --schema-only` prints is skipped). matview checks every spec against
-- these tables, so keep them in step with the database: replace this example with your own,
-- or write the file from a database with `matview introspect > specs/schema.sql`.

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    amount numeric(12,2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

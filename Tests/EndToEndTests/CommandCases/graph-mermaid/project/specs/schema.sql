CREATE TABLE customers (
    id bigint PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    amount numeric(12,2) NOT NULL,
    placed_on date NOT NULL
);

CREATE SCHEMA sales;
CREATE TABLE sales."returns #1" (
    order_id bigint PRIMARY KEY REFERENCES orders (id),
    returned_on date NOT NULL
);

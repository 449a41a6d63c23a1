-- my tables
CREATE TABLE t (id int PRIMARY KEY);

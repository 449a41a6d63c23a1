-- Rarely: every task goes (TRUNCATE has no transition table: a full recompute).
TRUNCATE tasks;

-- A schema file with mistakes. Each broken statement is skipped and reported; the rest is read.
CREATE TABLE accounts (
    id      bigint PRIMARY KEY,
    owner   text NOT NULL
);
CREATE TABLE drafts (
    id      bigint PRIMARY KEY,
    body    text,
);
CREATE TABLE (id bigint);
CREATE TABLE notes (id bigint, body text);
CREATE TABLE notes (id bigint);
CREATE TABLE prices (id bigint, amount numeric(12,));
CREATE UNIQUE INDEX ON accounts (owner;
ALTER TABLE notes ADD CONSTRAINT notes_pk PRIMARY KEY (note_id);

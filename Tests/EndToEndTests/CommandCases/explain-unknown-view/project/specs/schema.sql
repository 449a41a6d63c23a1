CREATE TABLE teams (
    id    bigserial PRIMARY KEY,
    name  text NOT NULL
);
CREATE TABLE users (
    id        bigserial PRIMARY KEY,
    name      text NOT NULL,
    nickname  varchar(40),
    team_id   bigint REFERENCES teams(id)
);
CREATE TABLE projects (
    id       bigserial PRIMARY KEY,
    user_id  bigint NOT NULL REFERENCES users(id),
    name     text NOT NULL,
    budget   numeric(12,2) NOT NULL
);
CREATE TABLE tasks (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects(id),
    hours       integer NOT NULL,
    done_at     timestamptz
);

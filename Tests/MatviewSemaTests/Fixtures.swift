import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// Shared inputs and helpers for the MatviewSema tests.
enum Fixtures {
    /// The seed's tables, as in specs/schema.sql.
    static let seedSchema = """
    -- Tables implied by the seed's queries (users, projects, tasks, transactions, user_sessions).
    CREATE TABLE users (
        id          bigserial PRIMARY KEY,
        name        text NOT NULL,
        role        text NOT NULL DEFAULT 'member',
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        last_login  timestamptz
    );
    CREATE TABLE projects (
        id          bigserial PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES users(id),
        name        text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ON projects(user_id);
    CREATE TABLE tasks (
        id              bigserial PRIMARY KEY,
        project_id      bigint NOT NULL REFERENCES projects(id),
        status          text NOT NULL DEFAULT 'open',
        completion_time interval,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        completed_at    timestamptz
    );
    CREATE INDEX ON tasks(project_id);
    CREATE TABLE transactions (
        id          bigserial PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES users(id),
        amount      numeric(12,2) NOT NULL,
        category    text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ON transactions(user_id);
    CREATE TABLE user_sessions (
        id          bigserial PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES users(id),
        started_at  timestamptz NOT NULL,
        ended_at    timestamptz
    );

    """

    /// A second schema file with the column types the seed lacks (int4, float8, date, timestamp).
    static let extraSchema = """
    CREATE TABLE daily_metrics (
        id          serial PRIMARY KEY,
        user_id     bigint NOT NULL REFERENCES users(id),
        day         date NOT NULL,
        visits      integer NOT NULL,
        errors      integer,
        bytes       bigint NOT NULL,
        latency_ms  double precision NOT NULL,
        score       real,
        recorded_at timestamp without time zone NOT NULL,
        UNIQUE (user_id, day)
    );

    """

    static let schemaFiles: [(path: String, text: String)] = [("specs/schema.sql", seedSchema), ("specs/extra.sql", extraSchema)]

    /// Compiles spec texts against the seed schema (plus the extra table).
    static func compile(_ specs: [(path: String, text: String)], schema: [(path: String, text: String)] = schemaFiles) -> Compiler.Output {
        Compiler().compile(specFiles: specs, schemaFiles: schema)
    }

    static func compile(_ spec: String, path: String = "specs/v.yaml") -> Compiler.Output {
        compile([(path, spec)])
    }

    /// The incremental plan of view `v` of `body` (from `from:` to `select:`), kept current by
    /// immediate writers; the test fails on any error.
    static func immediatePlan(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> IncrementalPlan? {
        let output = compile("view: v\n" + body + "\nrefresh:\n  strategy: incremental\n  on_change: immediate\n")
        XCTAssertEqual(errors(output).map(render), [], file: file, line: line)
        XCTAssertNotNil(output.project.views.last?.incremental, "not incremental", file: file, line: line)
        return output.project.views.last?.incremental
    }

    static func render(_ d: Diagnostic) -> String {
        "\(d.location): \(d.severity.rawValue): \(d.message) [\(d.rule.rawValue)]"
    }

    static func errors(_ output: Compiler.Output) -> [Diagnostic] {
        output.diagnostics.filter { $0.severity == .error }
    }
}

extension Fixtures {
    /// What `pg_dump --schema-only` prints for a small app database (PostgreSQL 15): settings,
    /// an extension, an enum, a plpgsql function whose body holds semicolons, tables whose keys
    /// are added later by ALTER TABLE ONLY, sequences, a view, indexes, triggers, comments, grants.
    static let pgDump = #"""
    --
    -- PostgreSQL database dump
    --

    -- Dumped from database version 15.6 (Debian 15.6-1.pgdg120+2)
    -- Dumped by pg_dump version 15.6 (Debian 15.6-1.pgdg120+2)

    SET statement_timeout = 0;
    SET lock_timeout = 0;
    SET idle_in_transaction_session_timeout = 0;
    SET client_encoding = 'UTF8';
    SET standard_conforming_strings = on;
    SELECT pg_catalog.set_config('search_path', '', false);
    SET check_function_bodies = false;
    SET xmloption = content;
    SET client_min_messages = warning;
    SET row_security = off;

    --
    -- Name: analytics; Type: SCHEMA; Schema: -; Owner: app
    --

    CREATE SCHEMA analytics;


    ALTER SCHEMA analytics OWNER TO app;

    --
    -- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
    --

    CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


    --
    -- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
    --

    COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


    --
    -- Name: task_status; Type: TYPE; Schema: public; Owner: app
    --

    CREATE TYPE public.task_status AS ENUM (
        'open',
        'in_progress',
        'completed'
    );


    ALTER TYPE public.task_status OWNER TO app;

    --
    -- Name: touch_updated_at(); Type: FUNCTION; Schema: public; Owner: app
    --

    CREATE FUNCTION public.touch_updated_at() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
    BEGIN
        NEW.updated_at := now();
        IF NEW.name = '' THEN
            RAISE EXCEPTION 'empty name; refusing';
        END IF;
        RETURN NEW;
    END;
    $$;


    ALTER FUNCTION public.touch_updated_at() OWNER TO app;

    --
    -- Name: project_count(bigint); Type: FUNCTION; Schema: public; Owner: app
    --

    CREATE FUNCTION public.project_count(uid bigint) RETURNS bigint
        LANGUAGE sql STABLE
        AS $_$
      SELECT count(*) FROM public.projects WHERE user_id = $1; -- a ';' inside dollar quotes
    $_$;


    ALTER FUNCTION public.project_count(uid bigint) OWNER TO app;

    SET default_tablespace = '';

    SET default_table_access_method = heap;

    --
    -- Name: users; Type: TABLE; Schema: public; Owner: app
    --

    CREATE TABLE public.users (
        id bigint NOT NULL,
        name text NOT NULL,
        email character varying(255) NOT NULL,
        role text DEFAULT 'member'::text NOT NULL,
        score numeric(12,2),
        tags text[] DEFAULT '{}'::text[] NOT NULL,
        created_at timestamp with time zone DEFAULT now() NOT NULL,
        updated_at timestamp with time zone DEFAULT now() NOT NULL,
        last_login timestamp with time zone,
        CONSTRAINT users_name_check CHECK ((length(name) > 0))
    );


    ALTER TABLE public.users OWNER TO app;

    --
    -- Name: COLUMN users.role; Type: COMMENT; Schema: public; Owner: app
    --

    COMMENT ON COLUMN public.users.role IS 'member, admin or bot; see the app''s roles';


    --
    -- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: app
    --

    CREATE SEQUENCE public.users_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1;


    ALTER TABLE public.users_id_seq OWNER TO app;

    --
    -- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: app
    --

    ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


    --
    -- Name: projects; Type: TABLE; Schema: public; Owner: app
    --

    CREATE TABLE public.projects (
        id bigint NOT NULL,
        user_id bigint NOT NULL,
        name text NOT NULL,
        archived_at timestamp with time zone,
        created_at timestamp with time zone DEFAULT now() NOT NULL
    );


    ALTER TABLE public.projects OWNER TO app;

    CREATE SEQUENCE public.projects_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1;


    ALTER TABLE public.projects_id_seq OWNER TO app;

    ALTER SEQUENCE public.projects_id_seq OWNED BY public.projects.id;


    --
    -- Name: tasks; Type: TABLE; Schema: public; Owner: app
    --

    CREATE TABLE public.tasks (
        id uuid DEFAULT gen_random_uuid() NOT NULL,
        project_id bigint NOT NULL,
        "position" integer NOT NULL,
        status public.task_status DEFAULT 'open'::public.task_status NOT NULL,
        estimate double precision,
        completion_time interval,
        due_on date,
        completed_at timestamp without time zone
    );


    ALTER TABLE public.tasks OWNER TO app;

    --
    -- Name: events; Type: TABLE; Schema: analytics; Owner: app
    --

    CREATE TABLE analytics.events (
        id bigint NOT NULL,
        user_id bigint,
        kind text NOT NULL,
        payload jsonb DEFAULT '{}'::jsonb NOT NULL,
        occurred_at timestamp with time zone DEFAULT now() NOT NULL
    );


    ALTER TABLE analytics.events OWNER TO app;

    ALTER TABLE analytics.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME analytics.events_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );


    --
    -- Name: active_users; Type: VIEW; Schema: public; Owner: app
    --

    CREATE VIEW public.active_users AS
     SELECT users.id,
        users.name
       FROM public.users
      WHERE (users.last_login > (now() - '30 days'::interval));


    ALTER TABLE public.active_users OWNER TO app;

    --
    -- Name: users id; Type: DEFAULT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


    --
    -- Name: projects id; Type: DEFAULT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.projects ALTER COLUMN id SET DEFAULT nextval('public.projects_id_seq'::regclass);


    --
    -- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.users
        ADD CONSTRAINT users_pkey PRIMARY KEY (id);


    --
    -- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.users
        ADD CONSTRAINT users_email_key UNIQUE (email);


    --
    -- Name: projects projects_pkey; Type: CONSTRAINT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.projects
        ADD CONSTRAINT projects_pkey PRIMARY KEY (id);


    ALTER TABLE ONLY public.tasks
        ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);


    ALTER TABLE ONLY analytics.events
        ADD CONSTRAINT events_pkey PRIMARY KEY (id);


    --
    -- Name: users_lower_email_idx; Type: INDEX; Schema: public; Owner: app
    --

    CREATE UNIQUE INDEX users_lower_email_idx ON public.users USING btree (lower((email)::text));


    --
    -- Name: projects_user_id_name_idx; Type: INDEX; Schema: public; Owner: app
    --

    CREATE UNIQUE INDEX projects_user_id_name_idx ON public.projects USING btree (user_id, name) WHERE (archived_at IS NULL);


    CREATE INDEX projects_user_id_idx ON public.projects USING btree (user_id);


    CREATE UNIQUE INDEX tasks_project_id_position_idx ON public.tasks USING btree (project_id, "position");


    CREATE INDEX events_payload_idx ON analytics.events USING gin (payload jsonb_path_ops);


    --
    -- Name: users users_touch; Type: TRIGGER; Schema: public; Owner: app
    --

    CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();


    --
    -- Name: projects projects_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: app
    --

    ALTER TABLE ONLY public.projects
        ADD CONSTRAINT projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


    ALTER TABLE ONLY public.tasks
        ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);


    ALTER TABLE ONLY analytics.events
        ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE SET NULL NOT VALID;


    --
    -- Name: TABLE users; Type: ACL; Schema: public; Owner: app
    --

    REVOKE ALL ON TABLE public.users FROM PUBLIC;
    GRANT SELECT ON TABLE public.users TO app_readonly;
    GRANT SELECT ON TABLE public.projects TO app_readonly;


    --
    -- PostgreSQL database dump complete
    --


    """#
}

extension Fixtures {
    /// The project's own specs (specs/*.yaml), read from the repository.
    static let specsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("specs")

    static func seedSpec(_ name: String) -> String {
        let url = specsDirectory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("cannot read \(url.path)")
            return ""
        }
        return text
    }

    static let seedSpecNames = ["dashboard_summary.yaml", "system_analytics.yaml", "user_stats.yaml"]

    /// `name type NULL|NOT NULL` for each output column, in order.
    static func describeColumns(_ view: CheckedView) -> [String] {
        view.columns.map { "\($0.name) \($0.type) \($0.nullable ? "NULL" : "NOT NULL")" }
    }
}

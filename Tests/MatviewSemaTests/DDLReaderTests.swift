import MatviewSema
import MatviewSyntax
import XCTest

/// The DDL reader: what it keeps from CREATE TABLE, ALTER TABLE ... ADD CONSTRAINT and CREATE
/// INDEX, what it skips, and where it reports syntax errors.
final class DDLReaderTests: XCTestCase {
    // MARK: - Helpers

    private func read(_ text: String, path: String = "specs/schema.sql") -> (statements: [SchemaStatement], diagnostics: [Diagnostic]) {
        DDLReader.read(path: path, text: text)
    }

    private func tables(_ statements: [SchemaStatement]) -> [TableDefinition] {
        statements.compactMap { if case .createTable(let t) = $0 { t } else { nil } }
    }

    private func indexes(_ statements: [SchemaStatement]) -> [IndexDefinition] {
        statements.compactMap { if case .createIndex(let i) = $0 { i } else { nil } }
    }

    private func addedConstraints(_ statements: [SchemaStatement]) -> [(table: String, constraint: TableConstraint)] {
        statements.compactMap { if case .addConstraint(let table, let c) = $0 { (table.description, c) } else { nil } }
    }

    private func describe(_ c: TableConstraint) -> String {
        switch c {
        case .primaryKey(let columns, _): "PRIMARY KEY (\(columns.map(\.name).joined(separator: ", ")))"
        case .unique(let columns, _): "UNIQUE (\(columns.map(\.name).joined(separator: ", ")))"
        case .foreignKey(let columns, let target, let referenced, _):
            "FOREIGN KEY (\(columns.map(\.name).joined(separator: ", "))) REFERENCES \(target)(\(referenced.map(\.name).joined(separator: ", ")))"
        }
    }

    private func location(_ c: TableConstraint) -> SourceLocation {
        switch c {
        case .primaryKey(_, let l), .unique(_, let l), .foreignKey(_, _, _, let l): l
        }
    }

    private func columns(_ table: TableDefinition) -> [String] {
        table.columns.map { "\($0.name.name) \($0.type)\($0.notNull ? " NOT NULL" : "")" }
    }

    /// Skipped statements must produce no diagnostics at all (an earlier reader reported each
    /// as "expected ';'"); kept as a named pass-through so the tests read as before.
    static func withoutSkippedStatementNoise(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics
    }

    private func render(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(Fixtures.render) }

    // MARK: - CREATE TABLE

    func testColumnTypesAndNotNull() {
        let (statements, diagnostics) = read("""
        CREATE TABLE accounts (
            id          bigserial PRIMARY KEY,
            small       int2,
            regular     int4 NOT NULL,
            counter     serial,
            big         int8 NULL,
            price       numeric(12, 2) NOT NULL DEFAULT 0,
            ratio       double precision,
            label       character varying(40) NOT NULL DEFAULT 'none',
            code        varchar(3),
            flags       boolean NOT NULL DEFAULT false,
            born        date,
            seen        timestamp without time zone,
            created_at  timestamp with time zone NOT NULL DEFAULT now(),
            during      interval,
            ref         uuid NOT NULL DEFAULT gen_random_uuid(),
            doc         jsonb,
            tags        text[] NOT NULL DEFAULT '{}',
            grid        integer[][],
            ts          pg_catalog.timestamptz
        );
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(tables(statements).count, 1)
        guard let table = tables(statements).first else { return }
        XCTAssertEqual(table.name.description, "accounts")
        XCTAssertNil(table.name.schema)
        XCTAssertEqual(table.location.description, "specs/schema.sql:1:1")
        XCTAssertEqual(columns(table), [
            "id bigserial NOT NULL",
            "small int2",
            "regular int4 NOT NULL",
            "counter serial",
            "big int8",
            "price numeric(12,2) NOT NULL",
            "ratio double precision",
            "label character varying(40) NOT NULL",
            "code varchar(3)",
            "flags boolean NOT NULL",
            "born date",
            "seen timestamp",
            "created_at timestamptz NOT NULL",
            "during interval",
            "ref uuid NOT NULL",
            "doc jsonb",
            "tags text[] NOT NULL",
            "grid integer[][]",
            "ts timestamptz",
        ])
        XCTAssertEqual(table.constraints.map(describe), ["PRIMARY KEY (id)"])
        XCTAssertEqual(table.columns.first?.name.location.description, "specs/schema.sql:2:5")
    }

    func testColumnConstraints() {
        let (statements, diagnostics) = read("""
        CREATE TABLE IF NOT EXISTS public.orders (
            id          integer CONSTRAINT orders_pk PRIMARY KEY,
            user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            coupon_id   bigint REFERENCES public.coupons ON DELETE SET NULL ON UPDATE NO ACTION,
            number      text UNIQUE NOT NULL,
            email       text CONSTRAINT orders_email_key UNIQUE,
            amount      numeric CHECK (amount > 0) NOT NULL,
            status      text DEFAULT 'new' CHECK (status IN ('new', 'paid')) NOT NULL,
            note        text DEFAULT NULL,
            placed_at   timestamptz NOT NULL DEFAULT now(),
            shipped_at  timestamptz DEFAULT (now() + interval '1 day') CHECK (shipped_at IS NULL OR shipped_at > placed_at),
            total       numeric GENERATED ALWAYS AS (amount * 2) STORED,
            name        text COLLATE "C" NOT NULL
        );
        """)
        XCTAssertEqual(render(diagnostics), [])
        guard let table = tables(statements).first else { return XCTFail("no table") }
        XCTAssertEqual(table.name.description, "public.orders")
        XCTAssertEqual(columns(table), [
            "id integer NOT NULL",
            "user_id bigint NOT NULL",
            "coupon_id bigint",
            "number text NOT NULL",
            "email text",
            "amount numeric NOT NULL",
            "status text NOT NULL",
            "note text",
            "placed_at timestamptz NOT NULL",
            "shipped_at timestamptz",
            "total numeric",
            "name text NOT NULL",
        ])
        XCTAssertEqual(table.constraints.map(describe), [
            "PRIMARY KEY (id)",
            "FOREIGN KEY (user_id) REFERENCES users(id)",
            "FOREIGN KEY (coupon_id) REFERENCES public.coupons()",
            "UNIQUE (number)",
            "UNIQUE (email)",
        ])
        // Each is located at its keyword (after `CONSTRAINT name` where one is given).
        XCTAssertEqual(table.constraints.map { location($0).description }, [
            "specs/schema.sql:2:46", "specs/schema.sql:3:33", "specs/schema.sql:4:24", "specs/schema.sql:5:22", "specs/schema.sql:6:50",
        ])
    }

    func testTableConstraints() {
        let (statements, diagnostics) = read("""
        CREATE UNLOGGED TABLE memberships (
            org_id   bigint,
            user_id  bigint,
            role     text NOT NULL,
            since    date,
            CONSTRAINT memberships_pkey PRIMARY KEY (org_id, user_id),
            UNIQUE (user_id, role),
            UNIQUE NULLS NOT DISTINCT (since, role),
            CONSTRAINT memberships_org_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            FOREIGN KEY (user_id, role) REFERENCES roles,
            CONSTRAINT memberships_role_check CHECK (role <> ''),
            CHECK (since > date '2000-01-01'),
            EXCLUDE USING gist (org_id WITH =)
        ) WITH (fillfactor = 70);
        CREATE TEMP TABLE scratch (id int);
        """)
        XCTAssertEqual(render(diagnostics), [])
        let all = tables(statements)
        XCTAssertEqual(all.map(\.name.description), ["memberships", "scratch"])
        guard let table = all.first else { return }
        // Table constraints do not change NOT NULL here: the catalog applies PRIMARY KEY's NOT NULL.
        XCTAssertEqual(columns(table), ["org_id bigint", "user_id bigint", "role text NOT NULL", "since date"])
        XCTAssertEqual(table.constraints.map(describe), [
            "PRIMARY KEY (org_id, user_id)",
            "UNIQUE (user_id, role)",
            "UNIQUE (since, role)",
            "FOREIGN KEY (org_id) REFERENCES orgs(id)",
            "FOREIGN KEY (user_id, role) REFERENCES roles()",
        ])
        XCTAssertEqual(table.constraints.map { location($0).description }, [
            "specs/schema.sql:6:5", "specs/schema.sql:7:5", "specs/schema.sql:8:5", "specs/schema.sql:9:5", "specs/schema.sql:10:5",
        ])
    }

    func testQuotedAndMixedCaseNames() {
        let (statements, diagnostics) = read("""
        CREATE TABLE "Audit Log" ("When" timestamptz NOT NULL, "user" text, Kind TEXT);
        CREATE TABLE Public.Things (ID INT PRIMARY KEY);
        """)
        XCTAssertEqual(render(diagnostics), [])
        let all = tables(statements)
        XCTAssertEqual(all.map(\.name.description), ["Audit Log", "public.things"])
        XCTAssertEqual(all.first.map(columns), ["When timestamptz NOT NULL", "user text", "kind text"])
        XCTAssertEqual(all.last.map(columns), ["id int NOT NULL"])
    }

    // MARK: - ALTER TABLE and CREATE INDEX

    func testAlterTableAddConstraint() {
        let (statements, diagnostics) = read("""
        ALTER TABLE ONLY public.users
            ADD CONSTRAINT users_pkey PRIMARY KEY (id);
        ALTER TABLE ONLY public.users
            ADD CONSTRAINT users_email_key UNIQUE (email);
        ALTER TABLE public.projects ADD PRIMARY KEY (id);
        ALTER TABLE IF EXISTS ONLY public.projects
            ADD CONSTRAINT projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;
        ALTER TABLE ONLY analytics.events ADD CONSTRAINT events_kind_check CHECK ((kind <> ''::text));
        """)
        XCTAssertEqual(render(Self.withoutSkippedStatementNoise(diagnostics)), [])
        let added = addedConstraints(statements)
        XCTAssertEqual(added.map { "\($0.table): \(describe($0.constraint))" }, [
            "public.users: PRIMARY KEY (id)",
            "public.users: UNIQUE (email)",
            "public.projects: PRIMARY KEY (id)",
            "public.projects: FOREIGN KEY (user_id) REFERENCES public.users(id)",
        ])
        XCTAssertEqual(added.map { location($0.constraint).description }, [
            "specs/schema.sql:2:9", "specs/schema.sql:4:9", "specs/schema.sql:5:33", "specs/schema.sql:7:9",
        ])
    }

    func testCreateIndex() {
        let (statements, diagnostics) = read("""
        CREATE INDEX ON projects(user_id);
        CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS tasks_pos ON ONLY tasks (project_id, "position" DESC NULLS LAST);
        CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
        CREATE UNIQUE INDEX active_name ON projects (user_id, name) WHERE archived_at IS NULL;
        CREATE INDEX events_payload ON analytics.events USING gin (payload jsonb_path_ops);
        CREATE UNIQUE INDEX collated ON users (name COLLATE "C" text_pattern_ops ASC);
        """)
        XCTAssertEqual(render(diagnostics), [])
        let all = indexes(statements)
        XCTAssertEqual(all.map { "\($0.table) unique=\($0.unique) partial=\($0.partial) columns=\($0.columns.map { $0.map(\.name).joined(separator: ",") } ?? "<expression>")" }, [
            "projects unique=false partial=false columns=user_id",
            "public.users unique=true partial=false columns=email",
            "tasks unique=true partial=false columns=project_id,position",
            "users unique=true partial=false columns=<expression>",
            "projects unique=true partial=true columns=user_id,name",
            "analytics.events unique=false partial=false columns=payload",
            "users unique=true partial=false columns=name",
        ])
        XCTAssertEqual(all.map { $0.location.line }, [1, 2, 3, 4, 5, 6, 7])
        XCTAssertTrue(all.allSatisfy { $0.location.column == 1 })
    }

    // MARK: - What pg_dump prints

    func testPgDumpKeepsOnlyCatalogStatements() {
        let (statements, diagnostics) = read(Fixtures.pgDump, path: "db/dump.sql")
        XCTAssertEqual(render(Self.withoutSkippedStatementNoise(diagnostics)), [])
        XCTAssertEqual(tables(statements).map(\.name.description), ["public.users", "public.projects", "public.tasks", "analytics.events"])
        XCTAssertEqual(addedConstraints(statements).map { "\($0.table): \(describe($0.constraint))" }, [
            "public.users: PRIMARY KEY (id)",
            "public.users: UNIQUE (email)",
            "public.projects: PRIMARY KEY (id)",
            "public.tasks: PRIMARY KEY (id)",
            "analytics.events: PRIMARY KEY (id)",
            "public.projects: FOREIGN KEY (user_id) REFERENCES public.users(id)",
            "public.tasks: FOREIGN KEY (project_id) REFERENCES public.projects(id)",
            "analytics.events: FOREIGN KEY (user_id) REFERENCES public.users(id)",
        ])
        XCTAssertEqual(indexes(statements).count, 5)
        guard let users = tables(statements).first else { return }
        XCTAssertEqual(columns(users), [
            "id bigint NOT NULL",
            "name text NOT NULL",
            "email character varying(255) NOT NULL",
            "role text NOT NULL",
            "score numeric(12,2)",
            "tags text[] NOT NULL",
            "created_at timestamptz NOT NULL",
            "updated_at timestamptz NOT NULL",
            "last_login timestamptz",
        ])
        XCTAssertEqual(users.constraints.count, 0, "a CHECK constraint is not kept")
        let tasks = tables(statements)[2]
        XCTAssertEqual(columns(tasks), [
            "id uuid NOT NULL",
            "project_id bigint NOT NULL",
            "position integer NOT NULL",
            "status task_status NOT NULL",
            "estimate double precision",
            "completion_time interval",
            "due_on date",
            "completed_at timestamp",
        ])
    }

    /// The statements `pg_dump --schema-only` prints besides tables, one by one: each must be
    /// skipped and must not swallow the table after it.
    func testEachSkippedStatementLeavesTheNextTableAlone() {
        let skipped = [
            "SET statement_timeout = 0;",
            "SET client_encoding = 'UTF8';",
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;",
            "COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions; and more';",
            "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');",
            "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.x := 1; RETURN NEW; END; $$;",
            "CREATE FUNCTION public.g(a integer) RETURNS integer LANGUAGE sql AS $body$ SELECT $1 + 1; $body$;",
            "CREATE OR REPLACE FUNCTION h() RETURNS text AS 'select ''a;b''' LANGUAGE sql;",
            "CREATE SEQUENCE public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;",
            "ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;",
            "ALTER TABLE public.users OWNER TO app;",
            "ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);",
            "COMMENT ON TABLE public.users IS 'people; who log in';",
            "COMMENT ON COLUMN public.users.role IS 'it''s a role';",
            "GRANT SELECT ON TABLE public.users TO app_readonly;",
            "REVOKE ALL ON TABLE public.users FROM PUBLIC;",
            "CREATE VIEW public.v AS SELECT users.id FROM public.users WHERE (users.id > 0);",
            "CREATE MATERIALIZED VIEW public.mv AS SELECT 1 AS one WITH NO DATA;",
            "CREATE TRIGGER t BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.f();",
            "CREATE SCHEMA analytics;",
            "ALTER TABLE public.users ADD COLUMN nickname text;",
            "ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;",
            "CREATE TABLE copy AS SELECT * FROM users;",
            "SELECT pg_catalog.setval('public.users_id_seq', 1, false);",
            // What pg_dump 13-17 print for the objects of issue 8, each alone:
            "\\restrict OvR51tbc3zCdL2xLYkDXrJ1Byq5unWhNCQ0SzhR39x43XIigK322OirrRTA0tom",
            "\\connect -reuse-previous=on \"dbname='shop'\"",
            "CREATE POLICY customers_self ON public.customers FOR SELECT USING ((display_name = CURRENT_USER));",
            "CREATE PUBLICATION customer_changes WITH (publish = 'insert, update, delete, truncate');",
            "ALTER PUBLICATION customer_changes ADD TABLE ONLY public.customers;",
            "CREATE EVENT TRIGGER log_ddl_trigger ON ddl_command_end\n   EXECUTE FUNCTION public.log_ddl();",
            "ALTER EVENT TRIGGER log_ddl_trigger OWNER TO postgres;",
            "CREATE TYPE public.money_pair AS (\n\tamount numeric,\n\tcurrency text\n);",
            "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $_$ BEGIN NEW.at := now(); RETURN NEW; END; $_$;",
            "CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN a END; SELECT (a + b); END;",
            "CREATE PROCEDURE public.p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;",
            "CREATE RULE r AS ON INSERT TO public.notes DO INSTEAD (INSERT INTO public.log VALUES (1); UPDATE public.log SET n = 2);",
            "CREATE RULE notes_no_delete AS\n    ON DELETE TO public.notes DO INSTEAD NOTHING;",
            "CREATE TRIGGER events_touch BEFORE INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.touch();",
            "CREATE STATISTICS public.customers_names (dependencies) ON first_name, last_name FROM public.customers;",
            "ALTER STATISTICS public.customers_names OWNER TO postgres;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES  TO PUBLIC;",
            "ALTER TABLE ONLY billing.invoices ATTACH PARTITION billing.invoices_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
            "ALTER INDEX billing.invoices_customer_idx ATTACH PARTITION billing.invoices_2024_customer_id_idx;",
            "ALTER TABLE ONLY public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME public.users_id_seq\n    START WITH 100\n    CACHE 1\n);",
            "ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass), OWNER TO app;",
            "CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA pg_catalog;",
            "COPY public.users (id, name) FROM stdin;\n1\tit's; $$ (\n2\t\\N\n\\.",
            "COPY public.empty (id) FROM stdin;\n\\.",
            "CREATE INDEX film_embedding_idx ON public.film_embedding USING hnsw (embedding public.vector_cosine_ops);",
            "CREATE INDEX t_idx ON public.t USING gist (a public.gist_trgm_ops (siglen='32'), b DESC NULLS LAST);",
            "CREATE AGGREGATE public.group_concat(text) (\n    SFUNC = public._group_concat,\n    STYPE = text\n);",
            "DO $matview$ BEGIN PERFORM 1; END $matview$;",
        ]
        for statement in skipped {
            let text = "\(statement)\nCREATE TABLE after (id integer PRIMARY KEY);\n"
            let (statements, diagnostics) = read(text)
            XCTAssertEqual(render(Self.withoutSkippedStatementNoise(diagnostics)), [], statement)
            XCTAssertEqual(tables(statements).map(\.name.description), ["after"], statement)
            XCTAssertTrue(addedConstraints(statements).isEmpty, statement)
        }
    }

    // MARK: - Errors

    func testSyntaxErrorsAreLocatedAndReadingContinues() {
        let text = """
        CREATE TABLE ok1 (id integer PRIMARY KEY);
        CREATE TABLE bad1 (id integer PRIMARY KEY, amount numeric(12,));
        CREATE TABLE ok2 (id integer PRIMARY KEY);
        ALTER TABLE ok2 ADD CONSTRAINT ok2_fk FOREIGN KEY (id) REFERENCES ;
        CREATE TABLE bad2 (
            id integer,
            CONSTRAINT bad2_pkey PRIMARY KEY id
        );
        CREATE TABLE bad3 (id integer NOT, name text);
        CREATE TABLE bad4 (LIKE ok1);
        CREATE UNIQUE INDEX ON ok1 id;
        CREATE TABLE ok3 (id integer PRIMARY KEY);
        """
        let (statements, diagnostics) = read(text)
        XCTAssertEqual(tables(statements).map(\.name.description), ["ok1", "ok2", "ok3"])
        XCTAssertTrue(diagnostics.allSatisfy { $0.rule == .ddlSyntax && $0.severity == .error })
        XCTAssertEqual(diagnostics.map { $0.location.description }, [
            "specs/schema.sql:2:62",   // ')' where a number belongs in numeric(12,)
            "specs/schema.sql:4:67",   // ';' where the referenced table belongs
            "specs/schema.sql:7:38",   // 'id' where '(' belongs
            "specs/schema.sql:9:34",   // ',' where NULL belongs after NOT
            "specs/schema.sql:10:20",  // LIKE
            "specs/schema.sql:11:28",  // 'id' where '(' belongs
        ], render(diagnostics).joined(separator: "\n"))
    }

    func testUnterminatedStringIsReportedAtItsQuote() {
        let text = """
        CREATE TABLE ok (id integer PRIMARY KEY);
        CREATE TABLE t (
            name text DEFAULT 'oops
        );
        CREATE TABLE lost (id integer);
        """
        let (statements, diagnostics) = read(text)
        XCTAssertEqual(tables(statements).first?.name.description, "ok")
        XCTAssertEqual(diagnostics.first.map { "\($0.location) \($0.rule.rawValue)" }, "specs/schema.sql:3:23 ddl-syntax", render(diagnostics).joined(separator: "\n"))
        XCTAssertTrue(diagnostics.first?.message.contains("unterminated") ?? false)
    }

    func testUnterminatedCommentAndDollarQuote() {
        for (text, location) in [
            ("CREATE TABLE a (id int);\n/* never closed\nCREATE TABLE b (id int);\n", "specs/schema.sql:2:1"),
            ("CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1;\n", "specs/schema.sql:2:36"),
        ] {
            let (statements, diagnostics) = read(text)
            XCTAssertEqual(tables(statements).map(\.name.description), ["a"], text)
            XCTAssertTrue(diagnostics.contains { $0.location.description == location && $0.rule == .ddlSyntax && $0.message.contains("unterminated") },
                          "\(text): \(render(diagnostics))")
        }
    }

    func testEmptyAndCommentOnlyFiles() {
        for text in ["", "\n\n", "-- nothing here\n", "/* nor here */", ";;;", "  ;\n-- x\n;"] {
            let (statements, diagnostics) = read(text)
            XCTAssertTrue(statements.isEmpty, text)
            XCTAssertEqual(render(diagnostics), [], text)
        }
    }

    func testMissingSemicolonDoesNotSwallowTheNextTableSilently() {
        let (statements, diagnostics) = read("""
        CREATE TABLE a (id integer PRIMARY KEY)
        CREATE TABLE b (id integer PRIMARY KEY);
        """)
        XCTAssertEqual(tables(statements).first?.name.description, "a")
        XCTAssertEqual(tables(statements).map(\.name.description), ["a", "b"])
        XCTAssertEqual(diagnostics.map { "\($0.location.line):\($0.location.column) \($0.rule.rawValue) \($0.message)" },
                       ["2:1 ddl-syntax expected ';' before CREATE"])
    }

    // MARK: - Issue 8: everything pg_dump prints

    private func alterations(_ statements: [SchemaStatement]) -> [String] {
        statements.compactMap { statement -> String? in
            switch statement {
            case .alterTable(let table, let alteration):
                switch alteration {
                case .addColumn(let column, let ifNotExists):
                    return "\(table): add \(column.name.name) \(column.type)\(column.notNull ? " NOT NULL" : "")\(ifNotExists ? " if not exists" : "")"
                case .dropColumn(let column, let ifExists): return "\(table): drop \(column.name)\(ifExists ? " if exists" : "")"
                case .renameColumn(let old, let new): return "\(table): rename \(old.name) to \(new.name)"
                case .setNotNull(let column, let notNull): return "\(table): \(column.name) \(notNull ? "set" : "drop") not null"
                case .setType(let column, let type): return "\(table): \(column.name) type \(type)"
                case .renameTable(let name): return "\(table): rename to \(name.name)"
                case .setSchema(let schema): return "\(table): set schema \(schema.name)"
                }
            case .addConstraint(let table, let constraint): return "\(table): \(describe(constraint))"
            default: return nil
            }
        }
    }

    func testPsqlMetaCommandsAndCopyDataDoNotHideStatementsOrMovePositions() {
        let text = """
        \\restrict abc123
        \\connect shop
        CREATE TABLE a (id integer PRIMARY KEY);
        COPY public.a (id, note) FROM stdin;
        1\tit's; not SQL $$ ( "
        \\.
        CREATE TABLE b (id integer PRIMARY KEY);
        COPY public.b (id) FROM stdin;
        \\.
        CREATE TABLE c (id integer, amount numeric(12,));
        \\unrestrict abc123
        """
        let (statements, diagnostics) = read(text)
        XCTAssertEqual(tables(statements).map(\.name.description), ["a", "b"])
        XCTAssertEqual(diagnostics.map { "\($0.location) \($0.rule.rawValue)" }, ["specs/schema.sql:10:47 ddl-syntax"], render(diagnostics).joined(separator: "\n"))
    }

    func testDollarQuotedAndAtomicBodiesKeepTheirSemicolons() {
        let text = """
        CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $_$ SELECT 'a;b'; CREATE TABLE no1 (id int); $_$;
        CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $tag$ BEGIN RETURN 1; END; $tag$;
        CREATE FUNCTION h(a int) RETURNS int LANGUAGE sql
        BEGIN ATOMIC
            SELECT CASE WHEN a > 1 THEN 1 ELSE 2 END;
            SELECT 3;
        END;
        CREATE RULE r AS ON UPDATE TO t DO ALSO (INSERT INTO log VALUES (1); DELETE FROM log);
        CREATE TABLE kept (id int);
        """
        let (statements, diagnostics) = read(text)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(tables(statements).map(\.name.description), ["kept"])
    }

    func testPartitionsAndInheritance() {
        let (statements, diagnostics) = read("""
        CREATE TABLE billing.invoices (id bigint NOT NULL, issued_on date NOT NULL, PRIMARY KEY (id, issued_on)) PARTITION BY RANGE (issued_on);
        CREATE TABLE billing.invoices_2024 PARTITION OF billing.invoices FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE billing.invoices_old PARTITION OF billing.invoices (id WITH OPTIONS NOT NULL, CONSTRAINT old_key UNIQUE (id)) DEFAULT PARTITION BY HASH (id);
        CREATE TABLE public.click_events (
            url text NOT NULL
        )
        INHERITS (public.events, "Audit");
        """)
        XCTAssertEqual(render(diagnostics), [])
        let all = tables(statements)
        XCTAssertEqual(all.map { "\($0.name) of=\($0.partitionOf?.description ?? "-") inherits=\($0.inherits.map(\.description))" }, [
            "billing.invoices of=- inherits=[]",
            "billing.invoices_2024 of=billing.invoices inherits=[]",
            "billing.invoices_old of=billing.invoices inherits=[]",
            "public.click_events of=- inherits=[\"public.events\", \"Audit\"]",
        ])
        XCTAssertEqual(all[2].constraints.map(describe), ["UNIQUE (id)"])
        XCTAssertEqual(alterations(statements), ["billing.invoices_old: id set not null"])
        XCTAssertEqual(columns(all[3]), ["url text NOT NULL"])
    }

    func testAlterTableActionsAreKeptInOrder() {
        let (statements, diagnostics) = read("""
        ALTER TABLE customers DROP COLUMN obsolete;
        ALTER TABLE IF EXISTS ONLY customers RENAME COLUMN old_name TO display_name;
        ALTER TABLE customers RENAME "Nick" TO nick;
        ALTER TABLE customers ADD COLUMN joined_at timestamp with time zone NOT NULL DEFAULT now(), ADD IF NOT EXISTS score int REFERENCES scores(id), DROP IF EXISTS gone CASCADE;
        ALTER TABLE customers ALTER COLUMN score TYPE bigint USING score::bigint, ALTER display_name SET NOT NULL, ALTER COLUMN nick DROP NOT NULL;
        ALTER TABLE customers ALTER COLUMN mood SET DATA TYPE public.mood, ALTER COLUMN id SET DEFAULT 1, OWNER TO app;
        ALTER TABLE ONLY public.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
            SEQUENCE NAME public.customers_id_seq
            START WITH 100
        );
        ALTER TABLE temp_rename RENAME TO notes;
        ALTER TABLE notes SET SCHEMA archive;
        ALTER TABLE notes RENAME CONSTRAINT a TO b;
        ALTER TABLE notes DROP CONSTRAINT b;
        ALTER TABLE notes ADD CONSTRAINT notes_pkey PRIMARY KEY (id), ADD CHECK (id > 0);
        ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b;
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(alterations(statements), [
            "customers: drop obsolete",
            "customers: rename old_name to display_name",
            "customers: rename Nick to nick",
            "customers: add joined_at timestamptz NOT NULL",
            "customers: add score int if not exists",
            "customers: FOREIGN KEY (score) REFERENCES scores(id)",
            "customers: drop gone if exists",
            "customers: score type bigint",
            "customers: display_name set not null",
            "customers: nick drop not null",
            "customers: mood type mood",
            "public.customers: id set not null",
            "temp_rename: rename to notes",
            "notes: set schema archive",
            "notes: PRIMARY KEY (id)",
        ])
    }

    func testIdentityAndGeneratedColumns() {
        let (statements, diagnostics) = read("""
        CREATE TABLE customers (
            id integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 1) PRIMARY KEY,
            seq bigint GENERATED BY DEFAULT AS IDENTITY,
            first_name text NOT NULL,
            full_name text GENERATED ALWAYS AS (first_name || ' ' || coalesce(last_name, '')) STORED,
            checked text GENERATED ALWAYS AS ((first_name IS NOT NULL)::text) STORED NOT NULL
        );
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(tables(statements).first.map(columns), [
            "id integer NOT NULL", "seq bigint NOT NULL", "first_name text NOT NULL", "full_name text", "checked text NOT NULL",
        ])
    }

    func testDomainsAndViewsAreKeptByName() {
        let (statements, diagnostics) = read("""
        CREATE DOMAIN public.email AS character varying(255) NOT NULL
        \tCONSTRAINT email_check CHECK (((VALUE)::text ~~ '%@%'::text));
        CREATE DOMAIN positive_amount numeric(12,2) CONSTRAINT positive CHECK (VALUE IS NOT NULL AND VALUE > 0);
        CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE OR REPLACE VIEW public.happy AS SELECT 1 AS one;
        CREATE MATERIALIZED VIEW IF NOT EXISTS public.totals AS
         SELECT (sum(x))::numeric AS total FROM t
          WITH NO DATA;
        CREATE UNIQUE INDEX totals_idx ON public.totals USING btree (total);
        CREATE TABLE public.pairs OF public.money_pair (PRIMARY KEY (amount));
        CREATE TABLE copy AS SELECT * FROM users;
        """)
        XCTAssertEqual(render(diagnostics), [])
        let summary = statements.compactMap { statement -> String? in
            switch statement {
            case .createDomain(let d): "domain \(d.name) \(d.base)\(d.notNull ? " NOT NULL" : "")"
            case .untypedRelation(let r): "\(r.kind.rawValue) \(r.name) at \(r.location.line):\(r.location.column)"
            case .createIndex(let i): "index on \(i.table)"
            default: nil
            }
        }
        XCTAssertEqual(summary, [
            "domain public.email character varying(255) NOT NULL",
            "domain positive_amount numeric(12,2)",
            "view public.happy at 5:1",
            "materialized view public.totals at 6:1",
            "index on public.totals",
            "typed table public.pairs at 10:1",
            "table created by a query copy at 11:1",
        ])
    }

    func testAlterTableSyntaxErrorsAreLocated() {
        let text = """
        ALTER TABLE t RENAME COLUMN a b;
        ALTER TABLE t ALTER COLUMN x TYPE numeric(12,);
        ALTER TABLE t ADD COLUMN;
        CREATE TABLE ok (id int);
        """
        let (statements, diagnostics) = read(text)
        XCTAssertEqual(tables(statements).map(\.name.description), ["ok"])
        XCTAssertEqual(diagnostics.map { "\($0.location) \($0.rule.rawValue)" }, [
            "specs/schema.sql:1:31 ddl-syntax",  // 'b' where TO belongs
            "specs/schema.sql:2:46 ddl-syntax",  // ')' where a number belongs
            "specs/schema.sql:3:25 ddl-syntax",  // ';' where the column name belongs
        ], render(diagnostics).joined(separator: "\n"))
    }

    func testTypesOfExtensionsAndIntervalFields() {
        let (statements, diagnostics) = read("""
        CREATE TABLE places (
            id integer NOT NULL,
            location public.geometry(Point,4326) NOT NULL,
            area "public"."geography"('POLYGON', 4326),
            wait interval day to second(3),
            span interval year,
            price numeric(12,2)
        );
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(tables(statements).first.map(columns), [
            "id integer NOT NULL", "location geometry(4326) NOT NULL", "area geography(4326)", "wait interval(3)", "span interval", "price numeric(12,2)",
        ])
    }
}

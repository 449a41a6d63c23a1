import Foundation
import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The catalog built from schema files: column types and NOT NULL, primary keys (which make their
/// columns NOT NULL), unique keys from constraints and plain unique indexes, foreign keys, and the
/// errors of DDL that does not add up.
final class CatalogTests: XCTestCase {
    private func build(_ files: [(path: String, text: String)]) -> (Catalog, [Diagnostic]) {
        var all: [(path: String, statements: [SchemaStatement])] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let (statements, found) = DDLReader.read(path: file.path, text: file.text)
            diagnostics += found
            all.append((file.path, statements))
        }
        let (catalog, more) = Catalog.build(from: all)
        return (catalog, diagnostics + more)
    }

    private func build(_ text: String, path: String = "specs/schema.sql") -> (Catalog, [Diagnostic]) {
        build([(path, text)])
    }

    private func table(_ catalog: Catalog, _ name: String, schema: String = "public", file: StaticString = #filePath, line: UInt = #line) -> CatalogTable? {
        let table = catalog.table(TableName(schema: schema, name: name))
        XCTAssertNotNil(table, "no table \(schema).\(name); have \(catalog.tables.keys.sorted().map(\.description))", file: file, line: line)
        return table
    }

    private func columns(_ table: CatalogTable?) -> [String] {
        table?.columns.map { "\($0.name) \($0.type)\($0.notNull ? " NOT NULL" : "")" } ?? []
    }

    private func render(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(Fixtures.render) }

    private func foreignKeys(_ table: CatalogTable) -> [String] {
        table.foreignKeys.map { "(\($0.columns.joined(separator: ", "))) -> \($0.references)(\($0.referencedColumns.joined(separator: ", ")))" }
    }

    // MARK: - pg_dump output

    func testPgDumpCatalog() {
        let (catalog, diagnostics) = build(Fixtures.pgDump, path: "db/dump.sql")
        XCTAssertEqual(render(DDLReaderTests.withoutSkippedStatementNoise(diagnostics)), [])
        XCTAssertEqual(catalog.tables.keys.sorted().map(\.description), ["analytics.events", "projects", "tasks", "users"])

        let users = table(catalog, "users")
        XCTAssertEqual(columns(users), [
            "id bigint NOT NULL",
            "name text NOT NULL",
            "email text NOT NULL",
            "role text NOT NULL",
            "score numeric",
            "tags text[] NOT NULL",
            "created_at timestamp with time zone NOT NULL",
            "updated_at timestamp with time zone NOT NULL",
            "last_login timestamp with time zone",
        ])
        XCTAssertEqual(users?.primaryKey, ["id"])
        // users_email_key is a key; the unique index on lower(email) is not (an expression).
        XCTAssertEqual(users?.keys, [["id"], ["email"]])
        XCTAssertEqual(users?.location.description, "db/dump.sql:95:1")

        let projects = table(catalog, "projects")
        XCTAssertEqual(projects?.primaryKey, ["id"])
        // The unique index on (user_id, name) is partial (WHERE archived_at IS NULL): no key.
        XCTAssertEqual(projects?.keys, [["id"]])
        XCTAssertEqual(projects.map(foreignKeys), ["(user_id) -> users(id)"])

        let tasks = table(catalog, "tasks")
        XCTAssertEqual(columns(tasks), [
            "id uuid NOT NULL",
            "project_id bigint NOT NULL",
            "position integer NOT NULL",
            "status task_status NOT NULL",
            "estimate double precision",
            "completion_time interval",
            "due_on date",
            "completed_at timestamp without time zone",
        ])
        // A plain unique index (project_id, "position") is a key.
        XCTAssertEqual(tasks?.keys, [["id"], ["project_id", "position"]])
        XCTAssertEqual(tasks?.foreignKeys.map(\.references.description), ["projects"])

        let events = table(catalog, "events", schema: "analytics")
        XCTAssertEqual(events?.primaryKey, ["id"])
        XCTAssertEqual(events?.keys, [["id"]])
        XCTAssertEqual(columns(events), [
            "id bigint NOT NULL",
            "user_id bigint",
            "kind text NOT NULL",
            "payload jsonb NOT NULL",
            "occurred_at timestamp with time zone NOT NULL",
        ])
        XCTAssertEqual(events?.foreignKeys.map(\.references.description), ["users"])
        XCTAssertNil(catalog.table(TableName(schema: "public", name: "events")))
        XCTAssertNil(catalog.table(TableName(schema: "public", name: "active_users")), "a CREATE VIEW is no table")
    }

    func testSeedSchemaCatalog() {
        let (catalog, diagnostics) = build(Fixtures.seedSchema)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(catalog.tables.keys.sorted().map(\.description), ["projects", "tasks", "transactions", "user_sessions", "users"])
        let users = table(catalog, "users")
        XCTAssertEqual(columns(users), [
            "id bigint NOT NULL",
            "name text NOT NULL",
            "role text NOT NULL",
            "created_at timestamp with time zone NOT NULL",
            "updated_at timestamp with time zone NOT NULL",
            "last_login timestamp with time zone",
        ])
        XCTAssertEqual(users?.keys, [["id"]])
        // Plain CREATE INDEX is no key.
        XCTAssertEqual(table(catalog, "projects")?.keys, [["id"]])
        XCTAssertEqual(table(catalog, "transactions")?.column(named: "amount")?.type, .numeric)
        XCTAssertEqual(table(catalog, "tasks")?.column(named: "completion_time").map { "\($0.type) \($0.notNull)" }, "interval false")
        XCTAssertEqual(table(catalog, "tasks").map(foreignKeys), ["(project_id) -> projects(id)"])
    }

    // MARK: - Keys and NOT NULL

    func testPrimaryKeyMakesItsColumnsNotNull() {
        let (catalog, diagnostics) = build("""
        CREATE TABLE pairs (a integer, b text, c date, PRIMARY KEY (a, b));
        CREATE TABLE later (id bigint, code text);
        ALTER TABLE ONLY public.later ADD CONSTRAINT later_pkey PRIMARY KEY (id);
        CREATE TABLE inline (id integer PRIMARY KEY NULL, other int);
        """)
        XCTAssertEqual(render(diagnostics), [])
        let pairs = table(catalog, "pairs")
        XCTAssertEqual(columns(pairs), ["a integer NOT NULL", "b text NOT NULL", "c date"])
        XCTAssertEqual(pairs?.primaryKey, ["a", "b"])
        XCTAssertEqual(pairs?.keys, [["a", "b"]])
        let later = table(catalog, "later")
        XCTAssertEqual(columns(later), ["id bigint NOT NULL", "code text"])
        XCTAssertEqual(later?.primaryKey, ["id"])
        XCTAssertEqual(columns(table(catalog, "inline")).first, "id integer NOT NULL", "PRIMARY KEY wins over an explicit NULL, as in PostgreSQL")
    }

    func testUniqueKeysFromConstraintsAndIndexes() {
        let (catalog, diagnostics) = build("""
        CREATE TABLE accounts (
            id      bigint PRIMARY KEY,
            email   text NOT NULL UNIQUE,
            org_id  bigint NOT NULL,
            slug    text NOT NULL,
            handle  text,
            phone   text,
            deleted_at timestamptz,
            UNIQUE (org_id, slug),
            UNIQUE (slug, org_id)
        );
        CREATE UNIQUE INDEX accounts_handle ON accounts (handle);
        CREATE UNIQUE INDEX accounts_email_again ON accounts USING btree (email);
        CREATE UNIQUE INDEX accounts_live_phone ON accounts (phone) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX accounts_lower_slug ON accounts (org_id, lower(slug));
        CREATE INDEX accounts_org ON accounts (org_id);
        CREATE UNIQUE INDEX accounts_id ON accounts (id);
        """)
        XCTAssertEqual(render(diagnostics), [])
        let accounts = table(catalog, "accounts")
        XCTAssertEqual(accounts?.primaryKey, ["id"])
        XCTAssertEqual(accounts?.keys, [["id"], ["email"], ["org_id", "slug"], ["handle"]])
        XCTAssertEqual(columns(accounts).first { $0.hasPrefix("handle") }, "handle text", "a unique index does not make a column NOT NULL")
    }

    func testConstraintsMayComeBeforeTheirTableInAnotherFile() {
        let (catalog, diagnostics) = build([
            ("specs/a_constraints.sql", """
            ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
            CREATE UNIQUE INDEX orders_number ON public.orders (number);
            ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES public.users (id);
            """),
            ("specs/b_tables.sql", """
            CREATE TABLE public.users (id bigint PRIMARY KEY);
            CREATE TABLE public.orders (id bigint, user_id bigint NOT NULL, number text NOT NULL);
            """),
        ])
        XCTAssertEqual(render(diagnostics), [])
        let orders = table(catalog, "orders")
        XCTAssertEqual(orders?.keys, [["id"], ["number"]])
        XCTAssertEqual(columns(orders).first, "id bigint NOT NULL")
        XCTAssertEqual(orders?.foreignKeys.map(\.columns), [["user_id"]])
    }

    func testSQLTypesAreNormalised() {
        let (catalog, diagnostics) = build("""
        CREATE TABLE kinds (
            a int2, b smallserial, c int, d int4, e serial, f integer, g int8, h bigserial, i decimal(10, 2),
            j float4, k float8, l float(10), m float, n varchar, o char(2), p bpchar, q bool, r timestamptz,
            s timestamp(3) with time zone, t time, u timetz, v json, w bytea, x citext, y public.mood, z numeric[]
        );
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(table(catalog, "kinds")?.columns.map { "\($0.name) \($0.type)" }, [
            "a smallint", "b smallint", "c integer", "d integer", "e integer", "f integer", "g bigint", "h bigint", "i numeric",
            "j real", "k double precision", "l real", "m double precision", "n text", "o text", "p text", "q boolean",
            "r timestamp with time zone", "s timestamp with time zone", "t time without time zone", "u time with time zone",
            "v json", "w bytea", "x text", "y mood", "z numeric[]",
        ])
    }

    // MARK: - Errors

    func testInconsistentDDLIsReported() {
        let text = """
        CREATE TABLE users (id bigint PRIMARY KEY, name text);
        CREATE TABLE users (id bigint);
        CREATE TABLE twice (id bigint, id text);
        ALTER TABLE ONLY public.ghosts ADD CONSTRAINT ghosts_pkey PRIMARY KEY (id);
        ALTER TABLE ONLY public.users ADD CONSTRAINT users_nick_key UNIQUE (nick);
        CREATE UNIQUE INDEX ghost_idx ON ghosts (id);
        CREATE TABLE fk (user_id bigint REFERENCES users(id), FOREIGN KEY (missing) REFERENCES users(id));
        """
        let (catalog, diagnostics) = build(text)
        XCTAssertEqual(diagnostics.map { "\($0.location) \($0.rule.rawValue)" }.sorted(), [
            "specs/schema.sql:2:1 ddl-syntax",       // users defined twice
            "specs/schema.sql:3:32 ddl-syntax",      // column id defined twice
            "specs/schema.sql:4:36 unknown-table",   // constraint on ghosts (at CONSTRAINT)
            "specs/schema.sql:5:69 unknown-column",  // users has no nick
            "specs/schema.sql:6:1 unknown-table",    // index on ghosts
            "specs/schema.sql:7:68 unknown-column",  // fk has no column missing
        ], render(diagnostics).joined(separator: "\n"))
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity == .error })
        // The first definition stays; the bad UNIQUE adds no key.
        XCTAssertEqual(columns(table(catalog, "users")), ["id bigint NOT NULL", "name text"])
        XCTAssertEqual(table(catalog, "users")?.keys, [["id"]])
        XCTAssertEqual(columns(table(catalog, "twice")), ["id bigint"])
        XCTAssertEqual(table(catalog, "fk")?.foreignKeys.map(\.columns), [["user_id"]])
    }

    // MARK: - Through the compiler

    func testDDLErrorsReachTheCompilerOutputWithTheSchemaPath() {
        let schema = Fixtures.seedSchema + "CREATE TABLE broken (id integer PRIMARY KEY, amount numeric(12,));\n"
        let spec = """
        view: names_mv
        from: users u
        select:
          user_id: u.id
        """
        let output = Fixtures.compile([("specs/names.yaml", spec)], schema: [("specs/schema.sql", schema)])
        let brokenLine = schema.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("CREATE TABLE broken") }! + 1
        XCTAssertEqual(output.diagnostics.map { "\($0.location) \($0.rule.rawValue)" }, ["specs/schema.sql:\(brokenLine):64 ddl-syntax"],
                       output.diagnostics.map(Fixtures.render).joined(separator: "\n"))
        XCTAssertEqual(output.project.views.map(\.name), ["names_mv"], "a bad statement does not stop the other tables")
    }

    func testSpecsReadPgDumpTablesBySchema() {
        let spec = """
        view: events_mv
        from: analytics.events e
        join:
          - left: users u
            on: u.id = e.user_id
          - inner: tasks t
            on: t.project_id = e.id and t.position = 1
        select:
          event_id: e.id
          user_email: u.email
          kind: e.kind
          task_status: t.status
        """
        let output = Fixtures.compile([("specs/events.yaml", spec)], schema: [("db/dump.sql", Fixtures.pgDump)])
        let errors = output.diagnostics.filter { $0.location.file == "specs/events.yaml" }
        XCTAssertEqual(errors.map(Fixtures.render), [])
        guard let view = output.project.views.first else { return XCTFail("no view") }
        XCTAssertEqual(view.sourceTables.map(\.description), ["analytics.events", "tasks", "users"])
        XCTAssertEqual(view.columns.map { "\($0.name) \($0.type) \($0.nullable ? "NULL" : "NOT NULL")" }, [
            "event_id bigint NOT NULL",
            "user_email text NULL",
            "kind text NOT NULL",
            "task_status task_status NOT NULL",
        ])
        // tasks is bound by its unique (project_id, position) index: one task per event.
        XCTAssertEqual(view.query.joins.map(\.multiplicity), [.one, .one])
        XCTAssertEqual(view.keys, [["event_id"]])
    }

    // MARK: - Issue 8: schema files as pg_dump writes them

    func testAlterTableIsFollowedInFileOrder() {
        let (catalog, diagnostics) = build([("specs/a.sql", """
        ALTER TABLE customers ADD COLUMN early text;
        """), ("specs/b.sql", """
        CREATE TABLE customers (id integer, old_name text, obsolete integer, score integer, nick text NOT NULL, "Code" text UNIQUE);
        ALTER TABLE customers ADD PRIMARY KEY (id), ADD UNIQUE (old_name);
        CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), customer_name text,
                             FOREIGN KEY (customer_name) REFERENCES customers (old_name), FOREIGN KEY (customer_id) REFERENCES customers (obsolete));
        ALTER TABLE customers DROP COLUMN obsolete;
        ALTER TABLE customers RENAME COLUMN old_name TO display_name;
        ALTER TABLE customers ADD COLUMN joined_at timestamp with time zone NOT NULL DEFAULT now(), ALTER COLUMN score TYPE bigint;
        ALTER TABLE customers ALTER COLUMN display_name SET NOT NULL, ALTER COLUMN nick DROP NOT NULL;
        ALTER TABLE customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME customers_id_seq START WITH 7);
        ALTER TABLE customers ADD COLUMN IF NOT EXISTS nick integer;
        ALTER TABLE customers RENAME TO clients;
        ALTER TABLE clients SET SCHEMA crm;
        ALTER TABLE crm.clients DROP COLUMN IF EXISTS never_there;
        """)])
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertNil(catalog.table(TableName(schema: "public", name: "customers")))
        let clients = table(catalog, "clients", schema: "crm")
        XCTAssertEqual(columns(clients), [
            "id integer NOT NULL",
            "display_name text NOT NULL",
            "score bigint",
            "nick text",
            "Code text",
            "early text",
            "joined_at timestamp with time zone NOT NULL",
        ])
        XCTAssertEqual(clients?.keys, [["id"], ["Code"], ["display_name"]])
        // References follow the renames; the one to the dropped column went with it.
        XCTAssertEqual(table(catalog, "orders").map(foreignKeys), ["(customer_id) -> crm.clients(id)", "(customer_name) -> crm.clients(display_name)"])
    }

    func testAlterTableErrorsAreLocated() {
        let text = """
        CREATE TABLE t (id integer, name text);
        ALTER TABLE t DROP COLUMN missing;
        ALTER TABLE t RENAME COLUMN name TO id;
        ALTER TABLE t ADD COLUMN name text;
        ALTER TABLE ghosts ALTER COLUMN id SET NOT NULL;
        ALTER TABLE t ALTER COLUMN nope TYPE bigint;
        CREATE TABLE u (id integer);
        ALTER TABLE u RENAME TO t;
        CREATE TABLE p PARTITION OF nowhere DEFAULT;
        CREATE TABLE c (x int) INHERITS (nobody);
        """
        let (catalog, diagnostics) = build(text)
        XCTAssertEqual(diagnostics.map { "\($0.location) \($0.rule.rawValue)" }.sorted(), [
            "specs/schema.sql:10:34 unknown-table",  // INHERITS (nobody)
            "specs/schema.sql:2:27 unknown-column",  // DROP COLUMN missing
            "specs/schema.sql:3:37 ddl-syntax",      // RENAME name TO id: id exists
            "specs/schema.sql:4:26 ddl-syntax",      // ADD COLUMN name: exists
            "specs/schema.sql:5:13 unknown-table",   // ALTER TABLE ghosts
            "specs/schema.sql:6:28 unknown-column",  // ALTER COLUMN nope
            "specs/schema.sql:8:25 ddl-syntax",      // RENAME TO t: t exists
            "specs/schema.sql:9:29 unknown-table",   // PARTITION OF nowhere
        ], render(diagnostics).joined(separator: "\n"))
        XCTAssertEqual(columns(table(catalog, "t")), ["id integer", "name text"])
        XCTAssertEqual(columns(table(catalog, "c")), ["x integer"])
    }

    func testPartitionsInheritanceDomainsEnumsAndIdentity() {
        let (catalog, diagnostics) = build("""
        CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN public.email AS character varying(255) NOT NULL CONSTRAINT email_check CHECK (((VALUE)::text ~~ '%@%'::text));
        CREATE DOMAIN public.positive_amount AS numeric(12,2) CONSTRAINT positive_amount_check CHECK ((VALUE > (0)::numeric));
        CREATE DOMAIN public.work_email AS public.email;
        CREATE TYPE public.money_pair AS (amount numeric, currency text);
        CREATE TABLE public.customers (
            id integer GENERATED ALWAYS AS IDENTITY,
            email public.email,
            work public.work_email,
            emails public.email[],
            mood public.mood DEFAULT 'ok'::public.mood NOT NULL,
            full_name text GENERATED ALWAYS AS (('x'::text || 'y'::text)) STORED
        );
        CREATE TABLE billing.invoices (
            id bigint NOT NULL,
            amount public.positive_amount NOT NULL,
            issued_on date NOT NULL,
            note text
        )
        PARTITION BY RANGE (issued_on);
        ALTER TABLE ONLY billing.invoices ADD CONSTRAINT invoices_pkey PRIMARY KEY (id, issued_on);
        CREATE TABLE billing.invoices_2024 PARTITION OF billing.invoices (note WITH OPTIONS NOT NULL) FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE billing.invoices_2025 (id bigint NOT NULL, amount public.positive_amount NOT NULL, issued_on date NOT NULL, note text);
        ALTER TABLE ONLY billing.invoices ATTACH PARTITION billing.invoices_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE INDEX invoices_amount_idx ON ONLY billing.invoices USING btree (amount);
        ALTER INDEX billing.invoices_amount_idx ATTACH PARTITION billing.invoices_2025_amount_idx;
        CREATE TABLE public.events (id bigint NOT NULL, happened_at timestamp without time zone NOT NULL, PRIMARY KEY (id));
        CREATE TABLE public.audited (id bigint, who text NOT NULL);
        CREATE TABLE public.click_events (
            id bigint,
            url text NOT NULL
        )
        INHERITS (public.events, public.audited);
        """)
        XCTAssertEqual(render(diagnostics), [])
        XCTAssertEqual(columns(table(catalog, "customers")), [
            "id integer NOT NULL",
            "email text NOT NULL",
            "work text NOT NULL",
            "emails text[]",
            "mood mood NOT NULL",
            "full_name text",
        ])
        XCTAssertEqual(columns(table(catalog, "invoices_2024", schema: "billing")), [
            "id bigint NOT NULL", "amount numeric NOT NULL", "issued_on date NOT NULL", "note text NOT NULL",
        ])
        XCTAssertEqual(table(catalog, "invoices_2024", schema: "billing")?.keys, [["id", "issued_on"]])
        XCTAssertEqual(columns(table(catalog, "invoices_2025", schema: "billing")), [
            "id bigint NOT NULL", "amount numeric NOT NULL", "issued_on date NOT NULL", "note text",
        ])
        XCTAssertEqual(columns(table(catalog, "click_events")), [
            "id bigint NOT NULL", "happened_at timestamp without time zone NOT NULL", "who text NOT NULL", "url text NOT NULL",
        ])
        XCTAssertEqual(table(catalog, "click_events")?.keys, [], "keys are not inherited")
        XCTAssertNil(catalog.table(TableName(schema: "public", name: "money_pair")), "a composite type is no table")
    }

    func testViewsAreKnownByNameAndTheirIndexesAccepted() {
        let dump = Fixtures.seedSchema + """
        CREATE VIEW public.active_users AS
         SELECT users.id FROM public.users WHERE (users.last_login IS NOT NULL);
        CREATE MATERIALIZED VIEW public.user_totals AS
         SELECT users.id, count(*) AS n FROM public.users GROUP BY users.id
          WITH NO DATA;
        ALTER TABLE public.user_totals OWNER TO postgres;
        CREATE UNIQUE INDEX user_totals_id_idx ON public.user_totals USING btree (id);
        ALTER TABLE ONLY public.active_users ALTER COLUMN id SET DEFAULT 0;
        COMMENT ON MATERIALIZED VIEW public.user_totals IS 'totals';
        REFRESH MATERIALIZED VIEW public.user_totals;
        CREATE TABLE public.pairs OF public.money_pair;
        ALTER TABLE ONLY public.pairs ADD CONSTRAINT pairs_pkey PRIMARY KEY (amount);
        CREATE MATERIALIZED VIEW public.old_totals AS SELECT 1 AS id WITH NO DATA;
        ALTER MATERIALIZED VIEW public.old_totals RENAME TO new_totals;
        ALTER MATERIALIZED VIEW IF EXISTS public.new_totals SET SCHEMA reports;
        ALTER VIEW public.active_users RENAME TO still_active;
        CREATE UNIQUE INDEX new_totals_id ON reports.new_totals (id);

        """
        let spec = """
        view: reads_view_mv
        from: user_totals t
        select:
          id: t.id
        """
        let output = Compiler().compile(specFiles: [("specs/reads.yaml", spec)], schemaFiles: [("db/dump.sql", dump)])
        XCTAssertEqual(output.project.catalog.untypedRelations, [TableName(schema: "public", name: "still_active"): .view, TableName(schema: "public", name: "user_totals"): .materializedView,
                                                                 TableName(schema: "public", name: "pairs"): .typedTable,
                                                                 TableName(schema: "reports", name: "new_totals"): .materializedView])
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [
            "specs/reads.yaml:2:7: error: 'user_totals' is a materialized view in the schema files, whose columns matview does not know [unknown-table]",
        ])
    }

    /// The commonest dump of all: a database `matview apply` deployed to. Its materialized views
    /// are named like the specs' views and the support schema (here renamed) holds matview's own
    /// tables, views, functions and the triggers on the source tables.
    func testDumpOfADeployedDatabaseChecksClean() {
        let dump = Fixtures.seedSchema + """
        CREATE SCHEMA ops;
        CREATE TABLE ops.views (view_name text NOT NULL, schema_name text NOT NULL, definition text);
        CREATE TABLE ops.refresh_queue (id bigint NOT NULL, view_name text NOT NULL);
        ALTER TABLE ONLY ops.views ADD CONSTRAINT views_pkey PRIMARY KEY (view_name);
        ALTER TABLE ONLY ops.refresh_queue ADD CONSTRAINT refresh_queue_view_fkey FOREIGN KEY (view_name) REFERENCES ops.views(view_name);
        CREATE INDEX refresh_log_view_started_idx ON ops.refresh_log USING btree (view_name, started_at DESC);
        CREATE UNIQUE INDEX refresh_queue_idx ON ops.refresh_queue USING btree (view_name);
        CREATE VIEW ops.freshness AS SELECT v.view_name FROM ops.views v;
        CREATE FUNCTION ops.enqueue_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO ops.refresh_queue (view_name) SELECT 'x'; RETURN NULL; END;
        $$;
        CREATE MATERIALIZED VIEW public.dashboard_summary_mv AS
         SELECT u.id AS user_id FROM public.users u
          WITH NO DATA;
        CREATE UNIQUE INDEX dashboard_summary_mv_user_id_key ON public.dashboard_summary_mv USING btree (user_id);
        COMMENT ON MATERIALIZED VIEW public.dashboard_summary_mv IS 'One row per user; with counters.';
        CREATE TRIGGER matview_enqueue_refresh AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION ops.enqueue_refresh();

        """
        let specs = [("specs/dashboard_summary.yaml", Fixtures.seedSpec("dashboard_summary.yaml"))]
        let output = Compiler().compile(specFiles: specs, schemaFiles: [("db/dump.sql", dump)], supportSchema: "ops")
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        XCTAssertEqual(output.project.views.map(\.name), ["dashboard_summary_mv"])
        XCTAssertFalse(output.project.catalog.tables.keys.contains { $0.schema == "ops" })
        XCTAssertNil(output.project.catalog.untypedRelations[TableName(schema: "public", name: "dashboard_summary_mv")],
                       "the spec's view shadows the deployed one")

        // With the default support schema name, ops is a schema of the user's like any other.
        let other = Compiler().compile(specFiles: specs, schemaFiles: [("db/dump.sql", dump)])
        XCTAssertNotNil(other.project.catalog.table(TableName(schema: "ops", name: "views")))

        // On disk, `check` takes the name from matview.yaml.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("matview-dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        XCTAssertNoThrow(try FileManager.default.createDirectory(at: root.appendingPathComponent("specs"), withIntermediateDirectories: true))
        XCTAssertNoThrow(try "postgres:\n  support_schema: ops\n".write(to: root.appendingPathComponent("matview.yaml"), atomically: true, encoding: .utf8))
        XCTAssertNoThrow(try dump.write(to: root.appendingPathComponent("specs/schema.sql"), atomically: true, encoding: .utf8))
        XCTAssertNoThrow(try specs[0].1.write(to: root.appendingPathComponent("specs/dashboard_summary.yaml"), atomically: true, encoding: .utf8))
        let fromDisk = Compiler().compile(Project.load(root: root))
        XCTAssertEqual(fromDisk.diagnostics.map(Fixtures.render), [])
        XCTAssertFalse(fromDisk.project.catalog.tables.keys.contains { $0.schema == "ops" })
    }

    /// `matview introspect` of such a database lists tables only, but a hand-kept schema file may
    /// still declare a table of a view's name: the spec wins there too.
    func testSpecViewShadowsACatalogTableOfTheSameName() {
        let schema = Fixtures.seedSchema + "CREATE TABLE public.names_mv (user_id bigint PRIMARY KEY);\n"
        let spec = """
        view: names_mv
        from: users u
        select:
          user_id: u.id
          name: u.name
        """
        let output = Compiler().compile(specFiles: [("specs/names.yaml", spec)], schemaFiles: [("specs/schema.sql", schema)])
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        XCTAssertNil(output.project.catalog.table(TableName(schema: "public", name: "names_mv")))
    }
}

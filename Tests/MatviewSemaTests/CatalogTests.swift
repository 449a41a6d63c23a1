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
}

import MatviewDriver
import XCTest

/// The example spec `init --database-url` writes, chosen from introspected DDL: the first table
/// with plain names, grouped by a single-column foreign key when it has one; every choice checks
/// without an error or a warning, and a database without a usable table gets none.
final class IntrospectedExampleSpecTests: XCTestCase {
    func choose(_ ddl: String) -> IntrospectedExampleSpec? {
        IntrospectedExampleSpec.choose(schemaPath: "specs/schema.sql", schemaText: ddl)
    }

    func assertChecksClean(_ spec: IntrospectedExampleSpec, _ ddl: String, file: StaticString = #filePath, line: UInt = #line) {
        let output = Compiler().compile(specFiles: [(spec.path, spec.text)], schemaFiles: [("specs/schema.sql", ddl)])
        XCTAssertEqual(output.diagnostics.map { "\($0.location.file):\($0.location.line): \($0.message)" }, [], file: file, line: line)
        XCTAssertEqual(output.project.views.count, 1, file: file, line: line)
    }

    func testAForeignKeyGroupsTheExample() throws {
        let ddl = """
            CREATE TABLE public.customers (id bigint NOT NULL);
            CREATE TABLE public.orders (id bigint NOT NULL, customer_id bigint NOT NULL, amount numeric(12,2));
            ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
            ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
            ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);
            """
        // customers sorts first, but has no foreign key: orders is the example.
        let grouped = try XCTUnwrap(choose(ddl))
        XCTAssertEqual(grouped.path, "specs/orders_per_customer_id.yaml")
        XCTAssertEqual(grouped.table, "orders")
        XCTAssertTrue(grouped.text.contains("view: orders_per_customer_id_mv\n"), grouped.text)
        XCTAssertTrue(grouped.text.contains("group_by: [t.customer_id]\n"), grouped.text)
        assertChecksClean(grouped, ddl)
    }

    func testWithoutAForeignKeyTheFirstTableGetsARowCount() throws {
        let ddl = "CREATE TABLE public.events (id bigint NOT NULL);\nCREATE TABLE public.zones (id bigint NOT NULL);\n"
        let spec = try XCTUnwrap(choose(ddl))
        XCTAssertEqual(spec.path, "specs/events_summary.yaml")
        XCTAssertTrue(spec.text.contains("  row_count: count(*)\n"), spec.text)
        assertChecksClean(spec, ddl)
    }

    func testATableOutsidePublicIsNamedWithItsSchema() throws {
        let ddl = "CREATE TABLE sales.invoices (id bigint NOT NULL);\n"
        let spec = try XCTUnwrap(choose(ddl))
        XCTAssertEqual(spec.table, "sales.invoices")
        XCTAssertTrue(spec.text.contains("from: sales.invoices t"), spec.text)
        assertChecksClean(spec, ddl)
    }

    func testNamesThatNeedQuotingAndTakenViewNamesArePassedOver() throws {
        let ddl = """
            CREATE TABLE public."Audit Log" (id bigint NOT NULL);
            CREATE TABLE public.events (id bigint NOT NULL);
            CREATE TABLE public.events_summary_mv (id bigint NOT NULL);
            """
        // "Audit Log" needs quoting; events_summary_mv is a table; so the example is over
        // events_summary_mv itself (its own summary name is free).
        let spec = try XCTUnwrap(choose(ddl))
        XCTAssertEqual(spec.table, "events_summary_mv")
        assertChecksClean(spec, ddl)
    }

    func testNoUsableTableGivesNoExample() {
        XCTAssertNil(choose("-- an empty database\n"))
        XCTAssertNil(choose("CREATE TABLE public.\"Only Quoted\" (id bigint NOT NULL);\n"))
    }
}

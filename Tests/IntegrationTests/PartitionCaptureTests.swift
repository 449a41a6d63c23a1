import Foundation
import MatviewTestSupport
import XCTest

/// A queued view over a partitioned table: statement triggers on the parent do not fire for
/// writes addressed to a partition, so every partition (at every level) carries the capture
/// trigger, partitions created or attached after apply get it from the event trigger, a
/// partition that escapes it makes status unhealthy until the next apply, and rollback leaves
/// nothing behind on any of them.
final class PartitionCaptureTests: XCTestCase {
    static let schema = """
    CREATE TABLE events (id bigint NOT NULL, day date NOT NULL, kind text NOT NULL) PARTITION BY RANGE (day);
    CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (kind);
    CREATE TABLE events_2026_a PARTITION OF events_2026 FOR VALUES IN ('a');
    CREATE TABLE events_2026_other PARTITION OF events_2026 DEFAULT;
    """

    static let spec = """
    view: events_per_day_mv
    from: events e
    group_by: [e.day, e.kind]
    select:
      day: e.day
      kind: e.kind
      events: count(*)
    indexes:
      - columns: [day, kind]
        unique: true
    refresh:
      concurrently: true
      on_change: queue
      min_interval: 0s
      max_staleness: 5m
    """

    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 20)
        try server.execute("DROP TABLE IF EXISTS events, events_2027, events_2028, events_2029 CASCADE")
        try server.execute(Self.schema)
        fixture = try DeploymentFixture(server: server, extraSpecs: ["events.sql": Self.schema, "events_per_day.yaml": Self.spec])
        try fixture.generate()
    }

    override func tearDownWithError() throws {
        _ = try? server?.execute("DROP TABLE IF EXISTS events, events_2027, events_2028, events_2029 CASCADE")
        fixture?.remove()
    }

    func capturedTables() throws -> [String] {
        try server.rows("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'matview_capture_changes' AND tgrelid::regclass::text LIKE 'events%' ORDER BY 1")
    }

    /// Inserts one event through `table` and returns which views it queued.
    func queuedBy(_ table: String, day: String, kind: String = "a") throws -> [String] {
        try server.execute("DELETE FROM matview.pending_changes")
        try server.execute("INSERT INTO \(table) (id, day, kind) VALUES (1, date '\(day)', '\(kind)')")
        return try server.rows("SELECT view_name || ' ' || source_table FROM matview.pending_changes ORDER BY 1")
    }

    func testWritesToEveryPartitionAreCapturedIncludingLaterOnes() throws {
        let before = try server.apply(file: DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")).stdout
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
        XCTAssertEqual(try capturedTables(), ["events", "events_2026", "events_2026_a", "events_2026_other"])
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_event_trigger WHERE evtname = 'matview_capture_new_partitions'"), "1")

        // Through the parent, and addressed to a partition or a sub-partition.
        XCTAssertEqual(try queuedBy("events", day: "2026-03-01"), ["events_per_day_mv public.events"])
        XCTAssertEqual(try queuedBy("events_2026", day: "2026-03-02"), ["events_per_day_mv public.events_2026"])
        XCTAssertEqual(try queuedBy("events_2026_a", day: "2026-03-03"), ["events_per_day_mv public.events_2026_a"])
        XCTAssertEqual(try queuedBy("events_2026_other", day: "2026-03-04", kind: "b"), ["events_per_day_mv public.events_2026_other"])
        try server.execute("DELETE FROM matview.pending_changes")
        try server.execute("TRUNCATE events_2026_other")
        XCTAssertEqual(try server.rows("SELECT source_table FROM matview.pending_changes"), ["public.events_2026_other"])

        // Created after apply, and attached after apply.
        try server.execute("CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')")
        XCTAssertEqual(try queuedBy("events_2027", day: "2027-06-01"), ["events_per_day_mv public.events_2027"])
        try server.execute("CREATE TABLE events_2028 (id bigint NOT NULL, day date NOT NULL, kind text NOT NULL)")
        try server.execute("ALTER TABLE events ATTACH PARTITION events_2028 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')")
        XCTAssertEqual(try queuedBy("events_2028", day: "2028-06-01"), ["events_per_day_mv public.events_2028"])
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "1")
        XCTAssertEqual(try server.value("SELECT sum(events) FROM events_per_day_mv"), "5", "six inserted, one truncated away")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.freshness WHERE cardinality(uncaptured_tables) > 0"), "0")

        // Where the event trigger is missing (apply by a non-superuser, or dropped), a new
        // partition is not captured: status says so and fails until the next apply.
        try server.execute("DROP EVENT TRIGGER matview_capture_new_partitions")
        try server.execute("CREATE TABLE events_2029 PARTITION OF events FOR VALUES FROM ('2029-01-01') TO ('2030-01-01')")
        XCTAssertEqual(try queuedBy("events_2029", day: "2029-06-01"), [])
        XCTAssertEqual(try server.value("SELECT uncaptured_tables FROM matview.freshness WHERE view_name = 'events_per_day_mv'"), "{public.events_2029}")
        let status = try MatviewCLI.run(["status", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(status.status, 1, status.stdout)
        XCTAssertTrue(status.stdout.contains("uncaptured"), status.stdout)
        XCTAssertTrue(status.stdout.contains("events_per_day_mv: writes to public.events_2029 are not captured; run `matview apply`"), status.stdout)
        try fixture.apply()
        XCTAssertEqual(try queuedBy("events_2029", day: "2029-06-02"), ["events_per_day_mv public.events_2029"])
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.freshness WHERE cardinality(uncaptured_tables) > 0"), "0")

        // Rollback removes the triggers from every partition and the event trigger. The tables
        // created during the test go first, so the snapshot compares like with like.
        try fixture.rollback()
        try server.execute("DROP TABLE events_2027, events_2028, events_2029")
        XCTAssertEqual(try server.apply(file: DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")).stdout, before)
    }

    func testAPartitionThatTheApplicationsRoleCreatesLaterIsCaptured() throws {
        // The usual set-up: the application's role owns the table and adds a partition each
        // month; it has no rights on the support schema.
        try server.execute("""
            DO $$ BEGIN CREATE ROLE matview_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            ALTER TABLE events OWNER TO matview_app; ALTER TABLE events_2026 OWNER TO matview_app;
            ALTER TABLE events_2026_a OWNER TO matview_app; ALTER TABLE events_2026_other OWNER TO matview_app;
            GRANT CREATE ON SCHEMA public TO matview_app;
            """)
        defer {
            _ = try? server.execute("DROP TABLE IF EXISTS events_2027; REVOKE CREATE ON SCHEMA public FROM matview_app; ALTER TABLE events OWNER TO postgres; DROP ROLE IF EXISTS matview_app")
        }
        try fixture.apply()
        try server.switchCronJobsOff()
        let app = PostgresServer(url: server.url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://matview_app@"))
        let created = try app.run(["-c", "CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')"])
        XCTAssertFalse(created.stderr.contains("WARNING"), created.stderr)
        try server.execute("DELETE FROM matview.pending_changes")
        try app.execute("INSERT INTO events_2027 VALUES (1, date '2027-02-01', 'a')")
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || source_table FROM matview.pending_changes"), ["events_per_day_mv public.events_2027"])
        try fixture.rollback()
    }

    func testApplyByANonSuperuserCapturesExistingPartitionsAndSaysWhatItCannotDo() throws {
        try server.execute("""
            DO $$ BEGIN CREATE ROLE matview_deployer LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            GRANT CREATE ON DATABASE matview_test TO matview_deployer;
            GRANT CREATE ON SCHEMA public TO matview_deployer;
            GRANT USAGE ON SCHEMA cron TO matview_deployer;
            ALTER TABLE users OWNER TO matview_deployer; ALTER TABLE projects OWNER TO matview_deployer;
            ALTER TABLE tasks OWNER TO matview_deployer; ALTER TABLE transactions OWNER TO matview_deployer;
            ALTER TABLE user_sessions OWNER TO matview_deployer; ALTER TABLE events OWNER TO matview_deployer;
            ALTER TABLE events_2026 OWNER TO matview_deployer; ALTER TABLE events_2026_a OWNER TO matview_deployer;
            ALTER TABLE events_2026_other OWNER TO matview_deployer;
            """)
        defer {
            _ = try? server.execute("DROP SCHEMA IF EXISTS matview CASCADE; DROP OWNED BY matview_deployer CASCADE; DROP ROLE IF EXISTS matview_deployer")
        }
        let deployer = PostgresServer(url: server.url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://matview_deployer@"))
        let result = try deployer.run(["-c", "SET client_min_messages = notice", "-f", fixture.upSQL.path])
        XCTAssertTrue(result.stderr.contains("only a superuser can create the event trigger"), result.stderr)
        XCTAssertEqual(try capturedTables(), ["events", "events_2026", "events_2026_a", "events_2026_other"])
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_event_trigger"), "0")
        try deployer.apply(file: fixture.downSQL)
        XCTAssertEqual(try capturedTables(), [])
    }
}

/// The same partitioned table under an immediate incremental view: every partition, at every
/// level, carries its statement triggers (with transition tables), so writes through the parent,
/// a partition or a sub-partition, moves between partitions, and partitions created or attached
/// after apply all keep the view exact; rollback leaves nothing on any of them.
final class PartitionIncrementalTests: XCTestCase {
    static let spec = """
    view: events_per_day
    from: events e
    group_by: [e.day, e.kind]
    select:
      day: e.day
      kind: e.kind
      events: count(*)
      last_id: max(e.id)
    refresh:
      strategy: incremental
      on_change: immediate
    """

    func testEveryWritePathReachesTheView() throws {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 20)
        try server.execute("DROP TABLE IF EXISTS events, events_2027, events_2028, events_2029 CASCADE")
        let snapshot = DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")
        try server.execute(PartitionCaptureTests.schema)
        let before = try server.apply(file: snapshot).stdout
        let fixture = try DeploymentFixture(server: server, extraSpecs: ["events.sql": PartitionCaptureTests.schema, "events_per_day.yaml": Self.spec])
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS events, events_2027, events_2028, events_2029 CASCADE")
        }
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.rows("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'matview_events_per_day_%' ORDER BY 1"),
                       ["events", "events_2026", "events_2026_a", "events_2026_other"])
        func assertExact(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let difference = try server.differencesFromDefiningQuery("events_per_day")
            XCTAssertEqual(difference.missing + difference.extra, 0, what, file: file, line: line)
        }
        try server.execute("INSERT INTO events VALUES (1, '2026-03-01', 'a'), (2, '2026-03-01', 'b')")
        try assertExact("through the parent")
        try server.execute("INSERT INTO events_2026 VALUES (3, '2026-03-02', 'a')")
        try assertExact("through a partition")
        try server.execute("INSERT INTO events_2026_other VALUES (4, '2026-03-02', 'c')")
        try assertExact("through a sub-partition")
        try server.execute("UPDATE events SET kind = 'z' WHERE id = 1") // moves the row to another partition
        try assertExact("a row moved between partitions")
        try server.execute("DELETE FROM events_2026_a WHERE id = 3")
        try assertExact("a delete in a sub-partition")
        // Partitions made after apply: created, and attached (the event trigger puts the triggers on).
        try server.execute("CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')")
        try server.execute("CREATE TABLE events_2028 (id bigint NOT NULL, day date NOT NULL, kind text NOT NULL)")
        try server.execute("ALTER TABLE events ATTACH PARTITION events_2028 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')")
        try server.execute("INSERT INTO events_2027 VALUES (5, '2027-05-01', 'a')")
        try server.execute("INSERT INTO events_2028 VALUES (6, '2028-05-01', 'a')")
        try assertExact("partitions created and attached after apply")
        try server.execute("TRUNCATE events_2027")
        try assertExact("a partition truncated")
        // Without the event trigger, a new partition has no maintenance triggers: freshness and
        // status say so until the next apply puts them on.
        try server.execute("DROP EVENT TRIGGER matview_capture_new_partitions")
        try server.execute("CREATE TABLE events_2029 PARTITION OF events FOR VALUES FROM ('2029-01-01') TO ('2030-01-01')")
        XCTAssertEqual(try server.value("SELECT array_to_string(uncaptured_tables, ',') FROM matview.freshness WHERE view_name = 'events_per_day'"),
                       "public.events_2029")
        let status = try MatviewCLI.run(["status", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(status.status, 1, status.stdout)
        XCTAssertTrue(status.stdout.contains("events_per_day: writes to public.events_2029 are not captured"), status.stdout)
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT cardinality(uncaptured_tables) FROM matview.freshness WHERE view_name = 'events_per_day'"), "0")
        try server.execute("INSERT INTO events VALUES (7, '2029-05-01', 'a')")
        try assertExact("a partition covered by the next apply")
        try server.execute("DROP TABLE events_2027, events_2028, events_2029")
        try fixture.rollback()
        XCTAssertEqual(try server.apply(file: snapshot).stdout, before)
    }
}

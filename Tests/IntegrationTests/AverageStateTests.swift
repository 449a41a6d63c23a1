import Foundation
import MatviewLowering
import MatviewTestSupport
import XCTest

/// An average of inputs of one scale follows a hidden sum and count per group (LoweredAverages):
/// a write of one group's rows moves them and sets the average to their quotient, with no
/// recompute; every other write of the view (a statement of several groups, a TRUNCATE's
/// rebuild) writes them from the same query. After each step the view equals its defining query
/// as text (the average byte for byte, not only as a number), and the hidden table equals the
/// sums and counts a rebuild would write.
final class AverageStateTests: XCTestCase {
    private let spec = """
    view: owner_averages
    from: owners o
    join:
      - left: items i
        on: i.owner_id = o.id
    group_by: [o.id]
    select:
      owner_id: o.id
      items: count(i.id)
      mean_weight: avg(i.weight)
      done_epoch: avg(extract(epoch from i.done_at))
      heavy_mean: avg(i.weight) filter (where i.weight > 3)
    refresh:
      strategy: incremental
      on_change: immediate

    """
    private let tables = """
    CREATE TABLE owners (id bigint PRIMARY KEY, region text);
    CREATE TABLE items (id bigint PRIMARY KEY, owner_id bigint, weight integer,
                        made_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00Z', done_at timestamptz);
    """
    /// The hidden columns as a rebuild writes them: per average (the view's 3rd to 5th column),
    /// the sum and the count of its inputs.
    private let hiddenQuery = """
    SELECT o.id, sum(i.weight), count(i.weight),
           sum(extract(epoch from i.done_at)), count(extract(epoch from i.done_at)),
           sum(i.weight) FILTER (WHERE i.weight > 3), count(i.weight) FILTER (WHERE i.weight > 3)
    FROM owners o LEFT JOIN items i ON i.owner_id = o.id GROUP BY o.id
    """
    private let definingQuery = """
    SELECT o.id, count(i.id), avg(i.weight), avg(extract(epoch from i.done_at)), avg(i.weight) FILTER (WHERE i.weight > 3)
    FROM owners o LEFT JOIN items i ON i.owner_id = o.id GROUP BY o.id
    """

    /// Rows of `a` not in `b` and of `b` not in `a`, compared as text.
    private func differingRows(_ server: PostgresServer, _ a: String, _ b: String) throws -> Int {
        let rows = { (x: String, y: String) in "SELECT count(*) FROM (SELECT r::text FROM (\(x)) r EXCEPT ALL SELECT r::text FROM (\(y)) r) d" }
        return (Int(try server.value(rows(a, b))) ?? -1) + (Int(try server.value(rows(b, a))) ?? -1)
    }

    private func assertExact(_ server: PostgresServer, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let names = IncrementalNames(schema: "public", view: "owner_averages", supportSchema: "matview")
        let hidden = names.qualified(names.averages)
        XCTAssertEqual(try differingRows(server, "TABLE public.owner_averages", definingQuery), 0, "view: " + what, file: file, line: line)
        XCTAssertEqual(try differingRows(server, "TABLE \(hidden)", hiddenQuery), 0, "hidden sums and counts: " + what, file: file, line: line)
    }

    func testAWriteOfOneGroupMovesItsAveragesByTheirHiddenSumAndCount() throws {
        let server = try PostgresServer.fromEnvironment()
        let fixture = try DeploymentFixture.deployed(extraSpec: "owner_averages.yaml", spec, tables: tables, dropping: ["items", "owners"], rows: """
            INSERT INTO owners (id) VALUES (1), (2), (3);
            INSERT INTO items (id, owner_id, weight, done_at) VALUES
                (1, 1, 5, '2026-01-01 00:00:01.5Z'), (2, 1, 2, NULL), (3, 2, 7, '2026-01-02 00:00Z'), (4, 2, 1, '2026-01-01 00:00:00.000001Z');
            """, server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS items, owners CASCADE")
        }
        try assertExact(server, "as deployed")
        // Both tables came from one run of the query, through a scratch table that is gone.
        let names = IncrementalNames(schema: "public", view: "owner_averages", supportSchema: "matview")
        XCTAssertEqual(try server.value("SELECT to_regclass('\(names.qualified(names.builtWithAverages))') IS NULL"), "t")

        // One group each: no recompute; the averages are their hidden sums over their counts.
        let oneGroup = [
            ("an item added", "INSERT INTO items (id, owner_id, weight, done_at) VALUES (5, 1, 4, '2026-01-01 00:00:03Z')"),
            ("the first group's first average input deleted", "DELETE FROM items WHERE id = 1"),
            ("a weight and a time changed", "UPDATE items SET weight = 9, done_at = '2026-01-01 07:00Z' WHERE id = 2"),
            ("an item without inputs", "INSERT INTO items (id, owner_id) VALUES (6, 1)"),
            ("an item's times moved together (inputs unchanged)", "UPDATE items SET made_at = made_at + interval '1 hour', done_at = done_at + interval '1 hour' WHERE id = 5"),
            ("a group's every input gone: NULL averages", "DELETE FROM items WHERE owner_id = 2"),
            ("and one back", "INSERT INTO items (id, owner_id, weight, done_at) VALUES (7, 2, 3, '2026-01-01 00:01Z')"),
        ]
        for (what, statement) in oneGroup {
            XCTAssertEqual(try server.recomputes(of: "owner_averages", [statement]), 0, what)
            try assertExact(server, what)
        }

        // Rows of two groups: their averages changed, so the groups are recomputed, and their
        // hidden sums and counts written from the same query.
        XCTAssertEqual(try server.recomputes(of: "owner_averages", ["INSERT INTO items (id, owner_id, weight) VALUES (8, 1, 10), (9, 3, 4)"]), 1)
        try assertExact(server, "two groups")
        // An infinite time: its sum cannot be moved back, so the group is recomputed, and again
        // when the time is finite once more.
        for (what, statement) in [("an infinite time", "UPDATE items SET done_at = 'infinity' WHERE id = 7"),
                                  ("finite again", "UPDATE items SET done_at = '2026-01-01 00:02Z' WHERE id = 7")] {
            XCTAssertEqual(try server.recomputes(of: "owner_averages", [statement]), 1, what)
            try assertExact(server, what)
        }
        // In a transaction's later statements, and after a rollback to a savepoint.
        _ = try server.run(["-c", "BEGIN", "-c", "DELETE FROM items WHERE id = 5", "-c", "SAVEPOINT s",
                            "-c", "DELETE FROM items WHERE id = 8", "-c", "ROLLBACK TO SAVEPOINT s",
                            "-c", "UPDATE items SET weight = 1 WHERE id = 8", "-c", "COMMIT"])
        try assertExact(server, "a transaction with a savepoint rolled back")
        // A TRUNCATE rebuilds: the hidden sums and counts of every group that changed too.
        try server.execute("TRUNCATE items")
        try assertExact(server, "truncated")
        XCTAssertEqual(try server.recomputes(of: "owner_averages", ["INSERT INTO items (id, owner_id, weight) VALUES (10, 3, 8)"]), 0)
        try assertExact(server, "after the rebuild")

        // Hidden sums and counts gone wrong behind the triggers' back, the rows still right: the
        // full rebuild finds and rewrites them, and the next one-group write is exact again.
        try server.execute("UPDATE \(names.qualified(names.averages)) SET matview_s3 = matview_s3 + 100 WHERE owner_id = 3")
        XCTAssertEqual(try differingRows(server, "TABLE \(names.qualified(names.averages))", hiddenQuery), 2)
        // verify says so, though the view's rows match their query, and names the table, the
        // wrong row and the right one, and what rewrites them.
        let verify = { (format: String) in
            try MatviewCLI.run(["verify", "--view", "owner_averages", "--format", format, "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        }
        let found = try verify("text")
        XCTAssertEqual(found.status, 1, found.stdout + found.stderr)
        XCTAssertEqual(found.stdout, """
            owner_averages: 0 missing, 0 extra
              hidden sums and counts of its averages (matview.\(names.averages)): 1 missing, 1 extra; `SELECT matview.refresh('owner_averages')` rewrites them
                missing: {"owner_id": 3, "matview_n3": 1, "matview_n4": 0, "matview_n5": 1, "matview_s3": 8, "matview_s4": null, "matview_s5": 8}
                extra:   {"owner_id": 3, "matview_n3": 1, "matview_n4": 0, "matview_n5": 1, "matview_s3": 108, "matview_s4": null, "matview_s5": 8}

            """)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try verify("json").stdout.utf8)) as? [[String: Any]])
        let hiddenJSON = try XCTUnwrap(json.first?["hiddenAverages"] as? [String: Any])
        XCTAssertEqual(hiddenJSON["missing"] as? Int, 1)
        XCTAssertEqual(hiddenJSON["extra"] as? Int, 1)
        XCTAssertEqual(try server.value("SELECT matview.refresh('owner_averages', 'test')"), "t")
        try assertExact(server, "a full rebuild")
        let repaired = try verify("text")
        XCTAssertEqual(repaired.status, 0, repaired.stdout + repaired.stderr)
        XCTAssertEqual(repaired.stdout, "owner_averages: equal\n")
        // A role that may read the view, its tables and the registry but not execute the
        // support schema's functions: the rows are compared, the hidden sums and counts said
        // not to be, and verify still works.
        let reader = "matview_verify_reader"
        try server.execute("""
            CREATE ROLE \(reader) LOGIN;
            GRANT USAGE ON SCHEMA matview TO \(reader);
            GRANT SELECT ON matview.views, public.owners, public.items, public.owner_averages TO \(reader);
            """)
        defer { _ = try? server.execute("DROP OWNED BY \(reader); DROP ROLE \(reader)") }
        var readerURL = try XCTUnwrap(URLComponents(string: server.url))
        readerURL.user = reader
        readerURL.password = nil
        let asReader = try MatviewCLI.run(["verify", "--view", "owner_averages", "--database-url", try XCTUnwrap(readerURL.string),
                                           "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(asReader.status, 0, asReader.stdout + asReader.stderr)
        XCTAssertEqual(asReader.stdout, """
            owner_averages: equal
              hidden sums and counts of its averages (matview.\(names.averages)): not compared, this role may not execute their comparison

            """)
        XCTAssertEqual(try server.recomputes(of: "owner_averages", ["INSERT INTO items (id, owner_id, weight) VALUES (11, 3, 1)"]), 0)
        try assertExact(server, "a write after the rebuild")

        // A full-refresh view keeps no hidden table: switching drops it with the maintenance.
        let hidden = "'" + names.qualified(names.averages) + "'"  // a plain name: nothing to escape
        XCTAssertEqual(try server.value("SELECT to_regclass(\(hidden)) IS NOT NULL"), "t")
        try fixture.writeSpec("owner_averages.yaml", spec.replacingOccurrences(of: "  strategy: incremental\n  on_change: immediate\n", with: "  strategy: full\n"))
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT to_regclass(\(hidden)) IS NULL"), "t")
        XCTAssertEqual(try differingRows(server, "TABLE public.owner_averages", definingQuery), 0)
    }

    /// A grain that can be NULL: the hidden table's unique index treats NULLs as one key, as the
    /// view's own does, so a recompute's upsert and a one-group write find the NULL group's row.
    func testTheNullGroupKeepsItsHiddenSumAndCount() throws {
        let server = try PostgresServer.fromEnvironment()
        let regions = """
        view: region_averages
        from: owners o
        join:
          - left: items i
            on: i.owner_id = o.id
        group_by: [o.region]
        select:
          region: o.region
          mean_weight: avg(i.weight)
        refresh:
          strategy: incremental
          on_change: immediate

        """
        let fixture = try DeploymentFixture.deployed(extraSpec: "region_averages.yaml", regions, tables: tables, dropping: ["items", "owners"], rows: """
            INSERT INTO owners (id, region) VALUES (1, 'north'), (2, NULL), (3, NULL);
            INSERT INTO items (id, owner_id, weight) VALUES (1, 1, 5), (2, 2, 2), (3, 3, 7);
            """, server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS items, owners CASCADE")
        }
        let names = IncrementalNames(schema: "public", view: "region_averages", supportSchema: "matview")
        let hiddenQuery = "SELECT o.region, sum(i.weight), count(i.weight) FROM owners o LEFT JOIN items i ON i.owner_id = o.id GROUP BY o.region"
        let definingQuery = "SELECT o.region, avg(i.weight) FROM owners o LEFT JOIN items i ON i.owner_id = o.id GROUP BY o.region"
        for statement in ["INSERT INTO items (id, owner_id, weight) VALUES (4, 2, 4)",
                          "DELETE FROM items WHERE id = 2",
                          "INSERT INTO items (id, owner_id, weight) VALUES (5, 1, 1), (6, 3, 9)",
                          "UPDATE owners SET region = 'south' WHERE id = 3",
                          "UPDATE owners SET region = NULL WHERE id = 1",
                          "DELETE FROM items WHERE owner_id = 1"] {
            try server.execute(statement)
            XCTAssertEqual(try differingRows(server, "TABLE public.region_averages", definingQuery), 0, "view: " + statement)
            XCTAssertEqual(try differingRows(server, "TABLE \(names.qualified(names.averages))", hiddenQuery), 0, "hidden: " + statement)
        }
    }
}

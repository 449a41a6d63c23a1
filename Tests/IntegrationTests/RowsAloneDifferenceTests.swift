import Foundation
import MatviewTestSupport
import XCTest

/// A write whose rows all reach one group, once each, moves it by what the rows alone add and
/// take (DeltaSource.readOffRows): no join to the other tables, no recompute. Its guard is the
/// count of keys against the count of rows: here, without foreign keys, an item can sit in a box
/// that does not exist and reach no group, and the statement must then recompute instead. The
/// same holds for an update of owners or boxes that changes only what the view reads as the
/// rows' own part of a max (TouchSource); its guard is every other column read comparing equal.
final class RowsAloneDifferenceTests: XCTestCase {
    private let spec = """
    view: owner_items
    from: owners o
    join:
      - left: boxes b
        on: b.owner_id = o.id
      - left: items i
        on: i.box_id = b.id
    group_by: [o.id]
    select:
      owner_id: o.id
      items: count(i.id)
      heavy_items: sum(case when i.weight > 3 then 1 else 0 end)
      heaviest: max(i.weight)
      last_change: max(greatest(o.updated_at, b.updated_at, i.updated_at))
    refresh:
      strategy: incremental
      on_change: immediate

    """
    private let tables = """
    CREATE TABLE owners (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE boxes (id bigint PRIMARY KEY, owner_id bigint, updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE items (id bigserial PRIMARY KEY, box_id bigint, weight integer, updated_at timestamptz NOT NULL DEFAULT now());
    """

    private func recomputes(_ server: PostgresServer, _ statements: [String]) throws -> Int {
        try server.recomputes(of: "owner_items", statements)
    }

    private func assertExact(_ server: PostgresServer, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let difference = try server.differencesFromDefiningQuery("owner_items")
        XCTAssertEqual(difference.missing + difference.extra, 0, what, file: file, line: line)
    }

    func testOneGroupsRowsMoveItAloneAndARowReachingNoGroupRecomputes() throws {
        let server = try PostgresServer.fromEnvironment()
        let fixture = try DeploymentFixture.deployed(extraSpec: "owner_items.yaml", spec, tables: tables, dropping: ["items", "boxes", "owners"], rows: """
            INSERT INTO owners (id) VALUES (1), (2);
            INSERT INTO boxes (id, owner_id) VALUES (10, 1), (11, 1), (20, 2);
            INSERT INTO items (box_id, weight) VALUES (10, 5), (11, 7), (20, 3);
            """, server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS items, boxes, owners CASCADE")
        }

        // One group, by the rows alone: an insert; two rows into two boxes of one owner; an update
        // within the owner whose lost values are below the stored ones or reached again; a delete
        // of a row that holds no stored value.
        for statement in ["INSERT INTO items (box_id, weight) VALUES (10, 2)",
                          "INSERT INTO items (box_id, weight) VALUES (10, 1), (11, NULL)",
                          "UPDATE items SET box_id = 11, weight = 4, updated_at = now() WHERE box_id = 10 AND weight = 1",
                          "DELETE FROM items WHERE box_id = 11 AND weight IS NULL"] {
            XCTAssertEqual(try recomputes(server, [statement]), 0, statement)
            try assertExact(server, statement)
        }
        XCTAssertEqual(try server.value("SELECT items || ' ' || heavy_items || ' ' || heaviest FROM owner_items WHERE owner_id = 1"), "4 3 7")
        // A row that reaches no group (box 99 does not exist) beside one that reaches owner 1: one
        // key for two rows. Read off the rows alone, owner 1 would count both.
        XCTAssertEqual(try recomputes(server, ["INSERT INTO items (box_id, weight) VALUES (10, 4), (99, 100)"]), 1)
        try assertExact(server, "a row in a box that does not exist")
        XCTAssertEqual(try server.value("SELECT items || ' ' || heavy_items || ' ' || heaviest FROM owner_items WHERE owner_id = 1"), "5 4 7")
        // An update that takes a row out of every group (into a box that does not exist).
        XCTAssertEqual(try recomputes(server, ["UPDATE items SET box_id = 98 WHERE box_id = 10 AND weight = 4"]), 1)
        try assertExact(server, "a row moved out of every group")
        // Rows of two owners take the statement that joins them to their groups (nothing is lost:
        // no recompute). The heaviest deleted: that column alone is recomputed over the owner's
        // rows, in the same UPDATE, not the whole group.
        XCTAssertEqual(try recomputes(server, ["INSERT INTO items (box_id, weight) VALUES (10, 6), (20, 5)"]), 0)
        try assertExact(server, "two owners")
        XCTAssertEqual(try recomputes(server, ["DELETE FROM items WHERE box_id = 11 AND weight = 7"]), 0)
        try assertExact(server, "the heaviest deleted")
        XCTAssertEqual(try server.value("SELECT items || ' ' || heaviest FROM owner_items WHERE owner_id = 1"), "4 6")
    }

    func testATouchOfAMaxsOwnPartMovesItAloneAndAnythingElseRecomputes() throws {
        let server = try PostgresServer.fromEnvironment()
        let fixture = try DeploymentFixture.deployed(extraSpec: "owner_items.yaml", spec, tables: tables, dropping: ["items", "boxes", "owners"], rows: """
            INSERT INTO owners (id, updated_at) VALUES (1, '2026-01-01 12:00Z'), (2, '2026-01-01 12:00Z');
            INSERT INTO boxes (id, owner_id, updated_at) VALUES (10, 1, '2026-01-02 12:00Z'), (11, 1, '2026-01-02 12:00Z'), (20, 2, '2026-01-02 12:00Z'), (30, 99, '2026-01-02 12:00Z');
            INSERT INTO items (box_id, weight, updated_at) VALUES (10, 5, '2026-01-03 12:00Z'), (11, 7, '2026-01-03 12:00Z'), (20, 3, '2026-01-03 12:00Z');
            """, server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS items, boxes, owners CASCADE")
        }
        func lastChange(_ owner: Int) throws -> String {
            try server.value("SELECT to_char(last_change AT TIME ZONE 'UTC', 'MM-DD') FROM owner_items WHERE owner_id = \(owner)")
        }

        // By the rows alone: a box, an owner, a value lowered below the stored one, both boxes
        // of one owner at once.
        for statement in ["UPDATE boxes SET updated_at = '2026-02-01 12:00Z' WHERE id = 10",
                          "UPDATE owners SET updated_at = '2026-03-01 12:00Z' WHERE id = 1",
                          "UPDATE boxes SET updated_at = '2026-01-05 12:00Z' WHERE id = 11",
                          "UPDATE boxes SET updated_at = updated_at + interval '1 day' WHERE owner_id = 1"] {
            XCTAssertEqual(try recomputes(server, [statement]), 0, statement)
            try assertExact(server, statement)
        }
        XCTAssertEqual(try lastChange(1), "03-01")
        // The stored value lowered: it may have been the only one that high, so that column is
        // recomputed over the owner's rows, in the same UPDATE.
        XCTAssertEqual(try recomputes(server, ["UPDATE owners SET updated_at = '2026-01-01 12:00Z' WHERE id = 1"]), 0)
        try assertExact(server, "the stored value lowered")
        XCTAssertEqual(try lastChange(1), "02-02")
        // Boxes of two owners; a box whose owner does not exist (no stored row to move).
        XCTAssertEqual(try recomputes(server, ["UPDATE boxes SET updated_at = '2026-04-01 12:00Z' WHERE id IN (10, 20)"]), 1)
        try assertExact(server, "two owners")
        XCTAssertEqual(try recomputes(server, ["UPDATE boxes SET updated_at = '2026-04-02 12:00Z' WHERE id = 30"]), 1)
        try assertExact(server, "a box of no owner")
        // A box renumbered within its owner: its keys are one group's, but its items now sit in
        // no box, and only a recompute counts them out.
        XCTAssertEqual(try recomputes(server, ["UPDATE boxes SET id = 12, updated_at = '2026-04-03 12:00Z' WHERE id = 10"]), 1)
        try assertExact(server, "a box renumbered")
        XCTAssertEqual(try server.value("SELECT items || ' ' || to_char(last_change AT TIME ZONE 'UTC', 'MM-DD') FROM owner_items WHERE owner_id = 1"), "1 04-03")
    }
}

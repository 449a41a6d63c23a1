import Foundation
import MatviewTestSupport
import XCTest

/// A numeric sum moved by a difference (DeltaOutput.sum) must not take back a NaN or an
/// infinity: 'Infinity' + '-Infinity' is NaN, where the sum of the rows left is a number. Such a
/// group is recomputed, by the one-group statement (rows alone) and by the statement that joins
/// the rows of several groups alike; finite rows still move by the difference.
final class NonFiniteSumTests: XCTestCase {
    private let spec = """
    view: box_weights
    from: boxes b
    join:
      - left: items i
        on: i.box_id = b.id
    group_by: [b.id]
    select:
      box_id: b.id
      total: sum(coalesce(i.weight, 0))
      items: count(i.id)
    refresh:
      strategy: incremental
      on_change: immediate

    """
    private let tables = """
    CREATE TABLE boxes (id bigint PRIMARY KEY);
    CREATE TABLE items (id bigint PRIMARY KEY, box_id bigint, weight numeric);
    """

    func testANaNOrInfinityLeavingAGroupRecomputesItsSum() throws {
        let server = try PostgresServer.fromEnvironment()
        let fixture = try DeploymentFixture.deployed(extraSpec: "box_weights.yaml", spec, tables: tables, dropping: ["items", "boxes"], rows: """
            INSERT INTO boxes (id) VALUES (1), (2);
            INSERT INTO items (id, box_id, weight) VALUES (1, 1, 2.5), (2, 2, 1);
            """, server: server)
        defer {
            fixture.remove()
            _ = try? server.execute("DROP TABLE IF EXISTS items, boxes CASCADE")
        }
        // As float8: a moved sum keeps the scale of the values it moved by (3.00 where the rows
        // now sum to 3), a number all the same.
        func totals() throws -> String {
            try server.value("SELECT string_agg(box_id || ':' || total::float8, ' ' ORDER BY box_id) FROM box_weights")
        }
        let steps: [(what: String, statement: String, totals: String)] = [
            ("an infinity and a NaN arrive, in two boxes", "INSERT INTO items (id, box_id, weight) VALUES (3, 1, 'Infinity'), (4, 2, 'NaN')", "1:Infinity 2:NaN"),
            ("the infinity leaves its box alone (rows alone)", "DELETE FROM items WHERE id = 3", "1:2.5 2:NaN"),
            ("the NaN leaves beside a finite row of the other box (joined)", "DELETE FROM items WHERE id IN (4, 1)", "1:0 2:1"),
            ("a weight set to -Infinity and back", "UPDATE items SET weight = '-Infinity' WHERE id = 2", "1:0 2:-Infinity"),
            ("and back", "UPDATE items SET weight = 4 WHERE id = 2", "1:0 2:4"),
        ]
        for step in steps {
            try server.execute(step.statement)
            let difference = try server.differencesFromDefiningQuery("box_weights")
            XCTAssertEqual(difference.missing + difference.extra, 0, step.what)
            XCTAssertEqual(try totals(), step.totals, step.what)
        }
        // Finite rows still move by the difference, in one group and in two.
        XCTAssertEqual(try server.recomputes(of: "box_weights", ["INSERT INTO items (id, box_id, weight) VALUES (5, 1, 1.25)"]), 0)
        XCTAssertEqual(try server.recomputes(of: "box_weights", ["DELETE FROM items WHERE id = 5"]), 0)
        XCTAssertEqual(try server.recomputes(of: "box_weights", ["INSERT INTO items (id, box_id, weight) VALUES (6, 1, 3), (7, 2, 5)"]), 0)
        XCTAssertEqual(try totals(), "1:3 2:9")
        let difference = try server.differencesFromDefiningQuery("box_weights")
        XCTAssertEqual(difference.missing + difference.extra, 0)
    }
}

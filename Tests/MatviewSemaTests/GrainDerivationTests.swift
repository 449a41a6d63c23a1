import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// How the checker says it derived a query's grain (for `matview explain`), beside the keys
/// themselves: GROUP BY less what the rest determines, the keys of the sources no other source
/// determines, or why there is no key.
final class GrainDerivationTests: XCTestCase {
    private func query(_ spec: String, file: StaticString = #filePath, line: UInt = #line) -> CheckedQuery? {
        let output = Fixtures.compile(spec)
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [], file: file, line: line)
        return output.project.views.first?.query
    }

    func testGroupByLessTheItemsAKeyDetermines() {
        let dashboard = query(Fixtures.seedSpec("dashboard_summary.yaml"))
        XCTAssertEqual(dashboard?.keys, [["user_id"]])
        XCTAssertEqual(dashboard?.grain, .groupBy(items: ["u.id", "u.name"], dropped: ["u.name"]))
        XCTAssertEqual(dashboard?.grain.description,
                       "one row per group of GROUP BY u.id, u.name; u.name is left out, determined by the rest through a key")
    }

    func testAGroupByItemThatIsNotSelected() {
        let q = query("""
        view: v_mv
        from: transactions t
        group_by: [t.user_id, t.category]
        select:
          user_id: t.user_id
          total: sum(t.amount)
        """)
        XCTAssertEqual(q?.keys, [])
        XCTAssertEqual(q?.grain, .groupByItemNotSelected(items: ["t.user_id", "t.category"], missing: ["t.category"]))
    }

    func testAggregatesWithoutGroupByAreOneRow() {
        let q = query("""
        view: v_mv
        from: transactions t
        select:
          total: sum(t.amount)
        """)
        XCTAssertEqual(q?.keys, [[]])
        XCTAssertEqual(q?.grain, .aggregateWithoutGroupBy)
    }

    func testTheKeysOfTheSourcesNoOtherDetermines() {
        let q = query("""
        view: v_mv
        from: projects p
        join:
          - inner: users u
            on: u.id = p.user_id
        select:
          project_id: p.id
          owner: u.name
        """)
        XCTAssertEqual(q?.keys, [["project_id"]])
        XCTAssertEqual(q?.grain, .sourceKeys(keys: [GrainDerivation.SourceKey(source: "p", columns: ["project_id"])], determined: ["u"]))
        XCTAssertEqual(q?.grain.description, "no GROUP BY: one row per row of p (project_id); u has at most one row for each")
    }

    func testNoKeyWhenASourcesKeyIsNotSelectedOrAJoinIsFull() {
        let unselected = query("""
        view: v_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
        select:
          user_id: u.id
          project: p.name
        """)
        XCTAssertEqual(unselected?.keys, [])
        XCTAssertEqual(unselected?.grain, .sourceKeyNotSelected(source: "p"))

        let full = query("""
        view: v_mv
        from: users u
        join:
          - full: projects p
            on: p.user_id = u.id
        select:
          user_id: u.id
          project_id: p.id
        """)
        XCTAssertEqual(full?.keys, [])
        XCTAssertEqual(full?.grain, .rightOrFullJoin)
    }
}

import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// Which source tables' updates that change only a max's or min's own part (a touch of
/// `updated_at`) apply by the rows alone, with which columns compared and which moved; and the
/// shapes where a touched row need not be in the group its key says.
final class TouchAnalysisTests: XCTestCase {
    private func touches(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> [TouchSource] {
        Fixtures.immediatePlan(body, file: file, line: line)?.touches ?? []
    }

    /// `table: touched | compared | moved outputs`, for comparing.
    private func summary(_ sources: [TouchSource]) -> [String] {
        sources.map { source in
            let moved = source.outputs.enumerated().compactMap { i, output -> String? in
                if case .extreme(let greatest, _, _, let held) = output {
                    return "\(i):" + (greatest ? "max" : "min") + (held.isEmpty ? "" : " held " + held.map(SQLPrinter.print).joined(separator: ","))
                }
                return nil
            }
            return "\(source.table.name): \(source.touched.joined(separator: ",")) | \(source.compared.joined(separator: ",")) | \(moved.joined(separator: " "))"
        }
    }

    private let dashboard = """
    from: users u
    join:
      - left: projects p
        on: p.user_id = u.id
      - left: tasks t
        on: t.project_id = p.id
    group_by: [u.id, u.name]
    select:
      user_id: u.id
      name: u.name
      total_projects: count(distinct p.id)
      total_tasks: count(distinct t.id)
      last_activity: max(greatest(u.updated_at, p.updated_at, t.updated_at))
    """

    func testTheDashboardsUsersAndProjectsTouchTheirUpdatedAt() {
        // Tasks is the table maintained by difference (its touches are among those), so only the
        // first table and the one joined to it by its key are listed.
        XCTAssertEqual(summary(touches(dashboard)), [
            "users: updated_at | id,name | 4:max held p.updated_at,t.updated_at",
            "projects: updated_at | id,user_id | 4:max held u.updated_at,t.updated_at",
        ])
        // A max of a table's own column alone, and a min beside it.
        XCTAssertEqual(summary(touches(dashboard + "\n  first_login: min(u.last_login)\n  newest_project: max(p.created_at)")), [
            "users: updated_at,last_login | id,name | 4:max held p.updated_at,t.updated_at 5:min",
            "projects: created_at,updated_at | id,user_id | 4:max held u.updated_at,t.updated_at 6:max",
        ])
    }

    func testAColumnReadElsewhereTooIsCompared() {
        // projects.updated_at also feeds a count: a touch of it could move the count.
        let counted = touches(dashboard + "\n  recent: count(*) filter (where p.updated_at > u.created_at)")
        XCTAssertEqual(summary(counted), ["users: updated_at | id,name,created_at | 4:max held p.updated_at,t.updated_at"])
        // An extreme whose argument mixes the table's column into another table's is no own part.
        XCTAssertEqual(summary(touches(dashboard.replacingOccurrences(of: "max(greatest(u.updated_at, p.updated_at, t.updated_at))",
                                                                  with: "max(p.updated_at - u.created_at)"))), [])
        // An extreme with a filter: whether a row counts could change with the touch.
        XCTAssertEqual(summary(touches(dashboard + "\n  newest_project: max(p.created_at) filter (where t.id is null)")).count, 2)
        XCTAssertEqual(summary(touches(dashboard + "\n  newest_project: max(p.created_at) filter (where t.id is null)"))[1],
                       "projects: updated_at | id,user_id,created_at | 4:max held u.updated_at,t.updated_at")
    }

    func testShapesWhereATouchedRowNeedNotBeInItsKeysGroupHaveNone() {
        // A WHERE, an inner join, a join condition that is not column equalities: a touched row's
        // key need not be a group it is in.
        XCTAssertEqual(touches(dashboard.replacingOccurrences(of: "group_by:", with: "where: u.role <> 'bot'\ngroup_by:")).count, 0)
        XCTAssertEqual(touches(dashboard.replacingOccurrences(of: "  - left: projects p", with: "  - inner: projects p")).count, 0)
        XCTAssertEqual(touches(dashboard.replacingOccurrences(of: "on: t.project_id = p.id", with: "on: t.project_id = p.id and t.status <> 'x'")).count, 0)
        // Grouped by a column that is not the first table's key: a group is many of its rows.
        XCTAssertEqual(touches("""
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
        group_by: [u.role]
        select:
          role: u.role
          last_activity: max(p.updated_at)
        """).count, 0)
        // Projects first: users is joined by projects' column, not by projects' key, so a user
        // without projects is in no group though its id is a group's key.
        XCTAssertEqual(summary(touches("""
        from: projects p
        join:
          - left: users u
            on: u.id = p.user_id
        group_by: [p.id]
        select:
          project_id: p.id
          last_activity: max(greatest(p.updated_at, u.updated_at))
        """)), ["projects: updated_at | id,user_id | 1:max held u.updated_at"])
    }
}

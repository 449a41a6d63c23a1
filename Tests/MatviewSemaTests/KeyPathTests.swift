import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The key paths the checker works out for incremental views: how a changed row of each source
/// table reaches the grain, and where the recompute restricts each query block. The cases it
/// must refuse are end-to-end cases (Cases/not-incremental); these pin the paths themselves.
final class KeyPathTests: XCTestCase {
    private func plan(_ spec: String, file: StaticString = #filePath, line: UInt = #line) -> IncrementalPlan? {
        let output = Fixtures.compile(spec)
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [], file: file, line: line)
        let plan = output.project.views.last?.incremental
        XCTAssertNotNil(plan, "no plan", file: file, line: line)
        return plan
    }

    private func paths(_ plan: IncrementalPlan?) -> [String] { plan?.keyPaths.map(\.summary) ?? [] }

    func testJoinChainsReachTheGrainThroughForeignKeys() {
        let p = plan("""
        view: v
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
          - left: tasks t
            on: t.project_id = p.id and t.status <> 'cancelled'
        group_by: [u.id]
        select:
          user_id: u.id
          tasks: count(t.id)
        refresh:
          strategy: incremental
        """)
        XCTAssertEqual(paths(p), ["users u → (u.id)", "projects p → (p.user_id)", "tasks t → projects p ON p.id = t.project_id → (p.user_id)"])
        XCTAssertEqual(p?.grain.map(\.name), ["user_id"])
        XCTAssertEqual(p?.keyPaths.map(\.columns), [["id"], ["user_id"], ["project_id"]])
        // users in WHERE; projects, the optional side, in its ON clause; tasks through projects.
        XCTAssertEqual(p?.restriction.predicates.map { "\($0.relation):\($0.join.map(String.init) ?? "where")" }, ["0:where", "1:0"])
    }

    func testNestedQueriesAndCTEsGroupedByTheJoinKeyArePushedInto() {
        let p = plan("""
        view: v
        with:
          totals:
            from: transactions t
            group_by: [t.user_id]
            select:
              user_id: t.user_id
              amount: sum(t.amount)
        from: users u
        join:
          - left: totals x
            on: x.user_id = u.id
          - left:
              as: s
              query:
                from: user_sessions s
                group_by: [s.user_id]
                select:
                  user_id: s.user_id
                  sessions: count(*)
            on: s.user_id = u.id
        select:
          user_id: u.id
          amount: x.amount
          sessions: s.sessions
        refresh:
          strategy: incremental
          on_change: queue
        """)
        XCTAssertEqual(Set(paths(p)), ["users u → (u.id)", "transactions t → (t.user_id)", "user_sessions s → (s.user_id)"])
        XCTAssertEqual(p?.cteRestrictions["totals"]?.predicates.count, 1)
        XCTAssertEqual(p?.restriction.nested[2]?.predicates.count, 1)
    }

    func testAnExpressionGrainAndANullableKey() {
        let p = plan("""
        view: v
        from: tasks t
        group_by: [day]
        select:
          day: date(t.completed_at)
          tasks: count(*)
        refresh:
          strategy: incremental
        """)
        XCTAssertEqual(paths(p), ["tasks t → (date(t.completed_at))"])
        XCTAssertEqual(p?.grain.map(\.nullable), [true])
    }

    func testAViewOnAnIncrementalViewFollowsItsTable() {
        let output = Fixtures.compile([("specs/a.yaml", """
        view: per_project
        from: tasks t
        group_by: [t.project_id]
        select:
          project_id: t.project_id
          tasks: count(*)
        refresh:
          strategy: incremental
        """), ("specs/b.yaml", """
        view: per_user
        from: per_project c
        join:
          - inner: projects p
            on: p.id = c.project_id
        group_by: [p.user_id]
        select:
          user_id: p.user_id
          tasks: sum(c.tasks)
        refresh:
          strategy: incremental
          on_change: immediate
        """)])
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
        let plan = output.project.views.first { $0.name == "per_user" }?.incremental
        XCTAssertEqual(plan?.keyPaths.map(\.summary), ["per_project c → projects p ON p.id = c.project_id → (p.user_id)", "projects p → (p.user_id)"])
        XCTAssertEqual(plan?.keyPaths.first?.upstreamView, "per_project")
        // Grouped by a key of projects' table? No: user_id is not a key of any source, so check notes it.
        XCTAssertTrue(output.diagnostics.contains { $0.rule == .notIncremental && $0.severity == .note })
    }

    func testImmediateViewsWithOneRowPerSourceKeyGetNoNote() {
        let output = Fixtures.compile("""
        view: v
        from: projects p
        join:
          - left: tasks t
            on: t.project_id = p.id
        group_by: [p.id]
        select:
          project_id: p.id
          tasks: count(t.id)
        refresh:
          strategy: incremental
          on_change: immediate
        """)
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        XCTAssertEqual(output.project.views.first?.refresh.minIntervalSeconds, 0)
    }
}

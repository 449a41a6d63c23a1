import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The grain the checker derives: each join's multiplicity, the view's keys, the base tables a
/// view reads (through CTEs, nested queries and other views) and the order views are built in.
final class GrainTests: XCTestCase {
    private func view(_ spec: String, file: StaticString = #filePath, line: UInt = #line) -> CheckedView? {
        let output = Fixtures.compile(spec)
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [], file: file, line: line)
        XCTAssertEqual(output.project.views.count, 1, file: file, line: line)
        return output.project.views.first
    }

    private func multiplicities(_ view: CheckedView?) -> [Multiplicity] {
        view?.query.joins.map(\.multiplicity) ?? []
    }

    // MARK: - Join multiplicity

    func testUsersToProjectsIsMany() {
        let v = view("""
        view: v_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
        select:
          user_id: u.id
          project_id: p.id
        """)
        XCTAssertEqual(multiplicities(v), [.many])
        guard let join = v?.query.joins.first else { return }
        XCTAssertEqual(join.kind, .left)
        XCTAssertEqual(join.relation, 1)
        XCTAssertEqual(join.parents, [0])
        XCTAssertEqual(join.equalities.map { "\($0.left.relation).\($0.left.column) = \($0.right.relation).\($0.right.column)" }, ["1.user_id = 0.id"])
        XCTAssertEqual(v?.query.relations.map(\.alias), ["u", "p"])
        // One row per (user, project): both keys are selected.
        XCTAssertEqual(v?.keys, [["user_id", "project_id"]])
    }

    func testProjectsToUsersIsOne() {
        let v = view("""
        view: v_mv
        from: projects p
        join:
          - inner: users u
            on: u.id = p.user_id
        select:
          project_id: p.id
          owner: u.name
        """)
        XCTAssertEqual(multiplicities(v), [.one])
        XCTAssertEqual(v?.query.joins.first?.parents, [0])
        XCTAssertEqual(v?.keys, [["project_id"]])
    }

    func testSeedDashboardJoinsAreMany() {
        let output = Fixtures.compile([("specs/dashboard_summary.yaml", Fixtures.seedSpec("dashboard_summary.yaml"))])
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        let v = output.project.views.first
        XCTAssertEqual(multiplicities(v), [.many, .many])
        XCTAssertEqual(v?.query.joins.map(\.parents), [[0], [1]])
    }

    func testCompositeUniqueKeyNeedsEveryColumnBound() {
        let bothBound = view("""
        view: v_mv
        from: users u
        join:
          - left: daily_metrics m
            on: m.user_id = u.id and m.day = current_date
        select:
          user_id: u.id
          visits: m.visits
        refresh:
          schedule: "0 0 * * *"
        """)
        XCTAssertEqual(multiplicities(bothBound), [.one])
        XCTAssertEqual(bothBound?.keys, [["user_id"]])

        let oneBound = view("""
        view: v_mv
        from: users u
        join:
          - left: daily_metrics m
            on: m.user_id = u.id
        select:
          user_id: u.id
          visits: m.visits
        """)
        XCTAssertEqual(multiplicities(oneBound), [.many])
        XCTAssertEqual(oneBound?.keys, [], "no key: m's key is not selected")
    }

    func testJoinOnANonKeyColumnIsMany() {
        let v = view("""
        view: v_mv
        from: transactions t
        join:
          - inner: users u
            on: u.role = t.category
        select:
          transaction_id: t.id
          user_id: u.id
        """)
        XCTAssertEqual(multiplicities(v), [.many])
        XCTAssertEqual(v?.keys, [["transaction_id", "user_id"]])
    }

    func testLateralAggregateWithoutGroupByIsOne() {
        let v = view("""
        view: v_mv
        from: users u
        join:
          - left:
              as: spend
              lateral: true
              query:
                from: transactions t
                where: t.user_id = u.id
                select:
                  total: sum(t.amount)
                  n: count(*)
            on: "true"
        select:
          user_id: u.id
          total: spend.total
          n: spend.n
        """)
        XCTAssertEqual(multiplicities(v), [.one])
        XCTAssertEqual(v?.query.joins.first?.parents, [0], "the lateral query reads u")
        guard case .subquery(let nested, let lateral)? = v?.query.relations.last?.source else { return XCTFail("not a subquery") }
        XCTAssertTrue(lateral)
        XCTAssertEqual(nested.keys, [[]])
        XCTAssertEqual(v?.keys, [["user_id"]])
        XCTAssertEqual(v?.sourceTables.map(\.description), ["transactions", "users"])
    }

    func testGroupedNestedQueryAndCTEJoinedOnTheirKeyAreOne() {
        let v = view("""
        view: v_mv
        with:
          per_user:
            from: transactions t
            group_by: [t.user_id]
            select:
              user_id: t.user_id
              total: sum(t.amount)
        from: users u
        join:
          - left: per_user pu
            on: pu.user_id = u.id
          - left:
              as: sessions
              query:
                from: user_sessions s
                group_by: [s.user_id]
                select:
                  user_id: s.user_id
                  n: count(*)
            on: sessions.user_id = u.id
          - cross:
              as: totals
              query:
                from: transactions t
                select:
                  grand_total: sum(t.amount)
        select:
          user_id: u.id
          total: pu.total
          sessions: sessions.n
          grand_total: totals.grand_total
        """)
        XCTAssertEqual(multiplicities(v), [.one, .one, .one])
        XCTAssertEqual(v?.ctes.map(\.name), ["per_user"])
        XCTAssertEqual(v?.ctes.first?.query.keys, [["user_id"]])
        XCTAssertEqual(v?.keys, [["user_id"]])
    }

    func testSeedSpecsJoinOneRowPerKey() {
        let specs = Fixtures.seedSpecNames.map { ("specs/\($0)", Fixtures.seedSpec($0)) }
        let output = Fixtures.compile(specs)
        XCTAssertEqual(output.diagnostics.map(Fixtures.render), [])
        let byName = Dictionary(uniqueKeysWithValues: output.project.views.map { ($0.name, $0) })
        XCTAssertEqual(multiplicities(byName["user_stats_mv"]), [.one, .one])
        XCTAssertEqual(multiplicities(byName["system_analytics_mv"]), [.one, .one, .one, .one])
        XCTAssertEqual(byName["user_stats_mv"]?.keys, [["user_id"]])
        XCTAssertEqual(byName["system_analytics_mv"]?.keys, [["date"]])
        XCTAssertEqual(byName["dashboard_summary_mv"]?.keys, [["user_id"]])
        XCTAssertEqual(byName["system_analytics_mv"]?.ctes.map { "\($0.name): \($0.query.keys)" }, [
            "days: [[\"day\"]]", "logins: [[\"day\"]]", "signups: [[\"day\"]]", "volume: [[\"day\"]]", "sessions: [[\"day\"]]",
        ])
    }

    // MARK: - Keys

    func testGroupedByPrimaryKeyAndDependentColumnKeepsOnlyTheKey() {
        let v = view("""
        view: v_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
        group_by: [u.id, u.name]
        select:
          user_id: u.id
          name: u.name
          projects: count(distinct p.id)
        """)
        XCTAssertEqual(v?.keys, [["user_id"]])
        XCTAssertEqual(v?.query.isAggregate, true)
        XCTAssertEqual(v?.query.groupBy.count, 2)
    }

    func testGroupedByDependentColumnFirstStillKeepsTheKey() {
        let v = view("""
        view: v_mv
        from: users u
        group_by: [u.name, u.id]
        select:
          name: u.name
          user_id: u.id
          n: count(*)
        """)
        XCTAssertEqual(v?.keys, [["user_id"]])
    }

    func testGroupedByNonKeyColumns() {
        XCTAssertEqual(view("""
        view: v_mv
        from: transactions t
        group_by: [t.user_id, t.category]
        select:
          user_id: t.user_id
          category: t.category
          total: sum(t.amount)
        """)?.keys, [["user_id", "category"]])

        XCTAssertEqual(view("""
        view: v_mv
        from: transactions t
        group_by: [day]
        select:
          day: t.created_at::date
          total: sum(t.amount)
        """)?.keys, [["day"]], "GROUP BY an output column name")

        XCTAssertEqual(view("""
        view: v_mv
        from: transactions t
        group_by: [t.user_id, date(t.created_at)]
        select:
          user_id: t.user_id
          total: sum(t.amount)
        """)?.keys, [], "a grouped expression that is not selected leaves no key")
    }

    func testUngroupedJoinThroughOneKeepsTheDrivingKey() {
        let v = view("""
        view: v_mv
        from: tasks t
        join:
          - inner: projects p
            on: p.id = t.project_id
          - inner: users u
            on: u.id = p.user_id
        select:
          task_id: t.id
          project: p.name
          owner: u.name
        """)
        XCTAssertEqual(multiplicities(v), [.one, .one])
        XCTAssertEqual(v?.query.joins.map(\.parents), [[0], [1]])
        XCTAssertEqual(v?.keys, [["task_id"]])
        XCTAssertEqual(v?.query.isAggregate, false)
    }

    /// The same one-row-per-project query as above, written from the one side: the key must not
    /// depend on the order of the sources (p's key determines u through p.user_id = u.id).
    func testInnerJoinFromTheOneSideKeepsTheManySideKey() {
        let output = Fixtures.compile("""
        view: v_mv
        from: users u
        join:
          - inner: projects p
            on: p.user_id = u.id
        select:
          project_id: p.id
          owner: u.name
        indexes:
          - columns: [project_id]
            unique: true
        """)
        let v = output.project.views.first
        XCTAssertEqual(multiplicities(v), [.many])
        XCTAssertEqual(v?.keys, [["project_id"]])
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
    }

    func testUngroupedWithoutTheKeySelectedHasNoKey() {
        XCTAssertEqual(view("""
        view: v_mv
        from: tasks t
        select:
          status: t.status
        """)?.keys, [])
    }

    func testAggregateWithoutGroupByHasOneRow() {
        let v = view("""
        view: v_mv
        from: transactions t
        join:
          - inner: users u
            on: u.id = t.user_id
        select:
          total: sum(t.amount)
          n: count(*)
        """)
        XCTAssertEqual(v?.keys, [[]])
        XCTAssertEqual(v?.query.isAggregate, true)
    }

    func testRightAndFullJoinsLeaveNoKey() {
        XCTAssertEqual(view("""
        view: v_mv
        from: projects p
        join:
          - right: users u
            on: u.id = p.user_id
        select:
          project_id: p.id
          user_id: u.id
        """)?.keys, [])
    }

    func testViewReadingAViewUsesItsKeys() {
        let base = """
        view: user_totals_mv
        from: transactions t
        group_by: [t.user_id]
        select:
          user_id: t.user_id
          total: sum(t.amount)
        """
        let top = """
        view: user_report_mv
        from: users u
        join:
          - left: user_totals_mv ut
            on: ut.user_id = u.id
        select:
          user_id: u.id
          total: ut.total
        """
        let output = Fixtures.compile([("specs/a_report.yaml", top), ("specs/b_totals.yaml", base)])
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
        let report = output.project.views.first { $0.name == "user_report_mv" }
        XCTAssertEqual(multiplicities(report), [.one])
        XCTAssertEqual(report?.keys, [["user_id"]])
        XCTAssertEqual(report.map(Fixtures.describeColumns), ["user_id bigint NOT NULL", "total numeric NULL"])
    }

    // MARK: - Source tables and dependencies

    func testSourceTablesThroughCTEsAndNestedQueries() {
        let v = view("""
        view: v_mv
        with:
          task_counts:
            from: tasks t
            join:
              - inner: projects p
                on: p.id = t.project_id
            group_by: [p.user_id]
            select:
              user_id: p.user_id
              n: count(*)
          sessions_per_user:
            from: task_counts tc
            join:
              - inner:
                  as: s
                  query:
                    from: user_sessions s
                    group_by: [s.user_id]
                    select:
                      user_id: s.user_id
                      n: count(*)
                on: s.user_id = tc.user_id
            select:
              user_id: tc.user_id
              sessions: s.n
        from: generate_series(1, 3) as g(i)
        join:
          - cross: sessions_per_user spu
        select:
          i: g.i
          user_id: spu.user_id
        """)
        XCTAssertEqual(v?.sourceTables.map(\.description), ["projects", "tasks", "user_sessions"])
        XCTAssertEqual(v?.ctes.map { "\($0.name): \($0.query.sourceTables.sorted().map(\.description))" }, [
            "task_counts: [\"projects\", \"tasks\"]",
            "sessions_per_user: [\"projects\", \"tasks\", \"user_sessions\"]",
        ])
        XCTAssertEqual(v?.dependencies, [])
    }

    func testSeedSourceTables() {
        let specs = Fixtures.seedSpecNames.map { ("specs/\($0)", Fixtures.seedSpec($0)) }
        let output = Fixtures.compile(specs)
        let byName = Dictionary(uniqueKeysWithValues: output.project.views.map { ($0.name, $0.sourceTables.map(\.description)) })
        XCTAssertEqual(byName, [
            "dashboard_summary_mv": ["projects", "tasks", "users"],
            "system_analytics_mv": ["transactions", "user_sessions", "users"],
            "user_stats_mv": ["transactions", "users"],
        ])
    }

    func testViewsComeOutInDependencyOrderWithTheirTables() {
        // File names sort opposite to the dependency order on purpose.
        let a = """
        view: a_top_mv
        with:
          mid:
            from: b_mid_mv b
            select:
              user_id: b.user_id
              total: b.total
        from: users u
        join:
          - left:
              as: nested
              query:
                from: mid m
                select:
                  user_id: m.user_id
                  total: m.total
            on: nested.user_id = u.id
        select:
          user_id: u.id
          total: nested.total
        """
        let b = """
        view: b_mid_mv
        from: c_base_mv c
        join:
          - inner: transactions t
            on: t.user_id = c.user_id
        group_by: [c.user_id]
        select:
          user_id: c.user_id
          total: sum(t.amount)
        """
        let c = """
        view: c_base_mv
        from: user_sessions s
        group_by: [s.user_id]
        select:
          user_id: s.user_id
          sessions: count(*)
        """
        let output = Fixtures.compile([("specs/1.yaml", a), ("specs/2.yaml", b), ("specs/3.yaml", c)])
        XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
        XCTAssertEqual(output.project.views.map(\.name), ["c_base_mv", "b_mid_mv", "a_top_mv"])
        let byName = Dictionary(uniqueKeysWithValues: output.project.views.map { ($0.name, $0) })
        XCTAssertEqual(byName["c_base_mv"]?.sourceTables.map(\.description), ["user_sessions"])
        XCTAssertEqual(byName["b_mid_mv"]?.sourceTables.map(\.description), ["transactions", "user_sessions"])
        XCTAssertEqual(byName["a_top_mv"]?.sourceTables.map(\.description), ["transactions", "user_sessions", "users"])
        XCTAssertEqual(byName["b_mid_mv"]?.dependencies, ["c_base_mv"])
        XCTAssertEqual(byName["a_top_mv"]?.dependencies, ["b_mid_mv"])
        XCTAssertEqual(byName["c_base_mv"]?.dependencies, [])
    }

    func testDependencyOrderDoesNotDependOnFileOrder() {
        let specs = [
            ("specs/x.yaml", "view: x_mv\nfrom: y_mv y\nselect:\n  user_id: y.user_id\n"),
            ("specs/y.yaml", "view: y_mv\nfrom: users u\nselect:\n  user_id: u.id\n"),
            ("specs/w.yaml", "view: w_mv\nfrom: x_mv x\njoin:\n  - inner: y_mv y\n    on: y.user_id = x.user_id\nselect:\n  user_id: x.user_id\n"),
        ]
        for permutation in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [2, 0, 1]] {
            let output = Fixtures.compile(permutation.map { specs[$0] })
            XCTAssertEqual(Fixtures.errors(output).map(Fixtures.render), [])
            XCTAssertEqual(output.project.views.map(\.name), ["y_mv", "x_mv", "w_mv"], "\(permutation)")
        }
    }

    func testDependencyCycleIsReportedAndLeavesTheCycleOut() {
        let output = Fixtures.compile([
            ("specs/p.yaml", "view: p_mv\nfrom: q_mv q\nselect:\n  id: q.id\n"),
            ("specs/q.yaml", "view: q_mv\nfrom: p_mv p\nselect:\n  id: p.id\n"),
            ("specs/r.yaml", "view: r_mv\nfrom: users u\nselect:\n  id: u.id\n"),
        ])
        XCTAssertEqual(output.project.views.map(\.name), ["r_mv"])
        let cycles = output.diagnostics.filter { $0.rule == .dependencyCycle }
        XCTAssertEqual(cycles.count, 1, output.diagnostics.map(Fixtures.render).joined(separator: "\n"))
        XCTAssertTrue(["specs/p.yaml", "specs/q.yaml"].contains(cycles.first?.location.file ?? ""))
        XCTAssertEqual(cycles.first?.location.line, 2)
        XCTAssertEqual(cycles.first?.location.column, 7)
    }
}

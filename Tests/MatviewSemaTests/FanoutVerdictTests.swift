import MatviewDriver
import MatviewSema
import MatviewSyntax
import XCTest

/// The fan-out rule's verdict on each aggregate, recorded for `matview explain`: why a join
/// cannot repeat its input rows, or which join does and what allowed it; the diagnostics stay
/// those of the `fanout` rule.
final class FanoutVerdictTests: XCTestCase {
    private func compile(_ spec: String) -> (view: CheckedView?, diagnostics: [String]) {
        let output = Fixtures.compile(spec)
        return (output.project.views.first, output.diagnostics.map(Fixtures.render))
    }

    /// The verdicts of the view's own query, as `column: aggregate: reason`.
    private func verdicts(_ spec: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let (view, diagnostics) = compile(spec)
        XCTAssertEqual(diagnostics.filter { $0.contains(": error: ") }, [], file: file, line: line)
        return view?.query.fanout.map { "\($0.column ?? "HAVING"): \($0.description)" } ?? []
    }

    func testTheDashboardsAggregatesAreSafeEachForItsOwnReason() {
        let (view, diagnostics) = compile(Fixtures.seedSpec("dashboard_summary.yaml"))
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(view?.query.fanout.map(\.reason), [
            .distinct,
            .distinct,
            .determined(reads: ["t"], steps: [
                FanoutVerdict.Step(source: "u", key: ["id"], fixedByGroupBy: true, from: []),
                FanoutVerdict.Step(source: "p", key: ["id"], fixedByGroupBy: false, from: ["t"]),
            ], sourceCount: 3),
            .determined(reads: ["t"], steps: [
                FanoutVerdict.Step(source: "u", key: ["id"], fixedByGroupBy: true, from: []),
                FanoutVerdict.Step(source: "p", key: ["id"], fixedByGroupBy: false, from: ["t"]),
            ], sourceCount: 3),
            .ignoresRepeats(function: "max"),
        ])
        XCTAssertEqual(view?.query.fanout.map { $0.column ?? "" }, ["total_projects", "total_tasks", "completed_tasks", "avg_completion_seconds", "last_activity"])
        XCTAssertEqual(view?.query.fanout[2].reason.description,
                       "no fan-out: each row of t meets at most one row of each other source: u by its key (id) from GROUP BY; p by its key (id) from t")
    }

    func testEachTransactionJoinsAtMostOneUser() {
        XCTAssertEqual(verdicts("""
        view: v_mv
        from: transactions t
        join:
          - inner: users u
            on: u.id = t.user_id
        group_by: [u.role]
        select:
          role: u.role
          total: sum(t.amount)
          n: count(*)
          n_categories: count(distinct t.category)
          biggest: max(t.amount)
          one: sum(1)
        """), [
            "total: sum(t.amount): no fan-out: each row of t meets at most one row of each other source: u by its key (id) from t",
            "n: count(*): count(*) counts the rows the joins produce, by definition",
            "n_categories: count(DISTINCT t.category): DISTINCT, so rows repeated by joins count once",
            "biggest: max(t.amount): max ignores repeated rows, so joins cannot change it",
            "one: sum(1): reads no column, so there are no input rows for a join to repeat",
        ])
    }

    func testASingleSourceHasNoJoin() {
        XCTAssertEqual(verdicts("""
        view: v_mv
        from: transactions t
        group_by: [t.user_id]
        select:
          user_id: t.user_id
          total: sum(t.amount)
        having: avg(t.amount) > 10
        """), [
            "total: sum(t.amount): one source and no join, so each row of t counts once",
            "HAVING: avg(t.amount): one source and no join, so each row of t counts once",
        ])
    }

    func testAMultipliedAggregateIsAnErrorAndItsVerdictSaysSo() {
        let spec = """
        view: v_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
          - left: transactions t
            on: t.user_id = u.id
        group_by: [u.id]
        select:
          user_id: u.id
          total: sum(t.amount)
        """
        let (view, diagnostics) = compile(spec)
        XCTAssertEqual(diagnostics.filter { $0.hasSuffix("[fanout]") }.count, 1, "\(diagnostics)")
        XCTAssertEqual(view?.query.fanout.map(\.reason), [.multiplied(FanoutVerdict.Multiplication(join: "p", perWhat: "many rows per users"))])
        XCTAssertEqual(view?.query.fanout.first?.reason.description, "multiplied by the join with p (many rows per users) (a fanout error)")
    }

    func testAnIgnoredFanoutSaysWhichListAllowedIt() {
        let columnIgnore = """
        view: v_mv
        from: users u
        join:
          - left: projects p
            on: p.user_id = u.id
          - left: transactions t
            on: t.user_id = u.id
        group_by: [u.id]
        select:
          user_id: u.id
          weighted:
            expr: sum(t.amount)
            ignore: [fanout]
          projects: count(p.id)
        """
        let (view, diagnostics) = compile(columnIgnore)
        // Only the column that ignores the rule is silent; count(p.id) is still reported.
        XCTAssertEqual(diagnostics.filter { $0.hasSuffix("[fanout]") }.count, 1, "\(diagnostics)")
        XCTAssertEqual(view?.query.fanout.map(\.reason.description), [
            "multiplied by the join with p (many rows per users); allowed by `ignore: [fanout]` on the column",
            "multiplied by the join with t (many rows per users) (a fanout error)",
        ])

        let (viewIgnored, viewDiagnostics) = compile(columnIgnore.replacingOccurrences(of: "    ignore: [fanout]\n", with: "") + "\nignore: [fanout]\n")
        XCTAssertEqual(viewDiagnostics, [])
        XCTAssertEqual(viewIgnored?.query.fanout.map(\.reason), [
            .ignored(FanoutVerdict.Multiplication(join: "p", perWhat: "many rows per users"), by: .view),
            .ignored(FanoutVerdict.Multiplication(join: "t", perWhat: "many rows per users"), by: .view),
        ])
    }

    func testAQueryWithoutAggregatesHasNoVerdicts() {
        XCTAssertEqual(verdicts("""
        view: v_mv
        from: users u
        select:
          id: u.id
        """), [])
    }
}
